import { LightningElement, api } from "lwc";
import loadRecords from "@salesforce/apexContinuation/RemoteRecordsController.loadRecords";
import { callApex } from "c/apexCard";

/** Key of the Source column's value in a row (set by RemoteRecords.SOURCE_KEY in Apex). */
export const SOURCE_FIELD = "_source";

const DATETIME_ATTRIBUTES = {
  year: "numeric",
  month: "short",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit"
};

/**
 * The datatable column of a field as Org B describes it (Schema.DisplayType in lower case). References
 * and Ids stay text: they are Ids of the source org, which this org cannot open.
 */
export function columnFor(field) {
  const column = { label: field.label, fieldName: field.name, type: "text" };
  switch (field.type) {
    case "currency":
      return { ...column, type: "currency" };
    case "double":
    case "integer":
    case "long":
      return { ...column, type: "number" };
    case "percent":
      // lightning-datatable's percent takes fractions; Salesforce sends 12.5 for 12.5 %.
      return {
        ...column,
        type: "percent",
        typeAttributes: { maximumFractionDigits: 2 }
      };
    case "date":
      return { ...column, type: "date-local" };
    case "datetime":
      return { ...column, type: "date", typeAttributes: DATETIME_ATTRIBUTES };
    case "boolean":
      return { ...column, type: "boolean" };
    case "email":
      return { ...column, type: "email" };
    case "phone":
      return { ...column, type: "phone" };
    case "url":
      return { ...column, type: "url" };
    default:
      return column;
  }
}

/** A row as the datatable shows it: percent values as fractions. */
function displayRow(row, percentFields) {
  if (!percentFields.length) {
    return row;
  }
  const copy = { ...row };
  for (const name of percentFields) {
    if (typeof copy[name] === "number") {
      copy[name] = copy[name] / 100;
    }
  }
  return copy;
}

/**
 * Records of one object from one or more source orgs in one table. Configured in Lightning App Builder;
 * loads through a Continuation (all sources in parallel), shows each source's error beside the others'
 * rows, and fetches the next page of every source that has one with "Load more".
 */
export default class RemoteRecords extends LightningElement {
  @api title;
  @api sourceObject;
  @api fields;
  @api connections;
  @api pageSize;

  fieldList = [];
  rows = [];
  sources = [];
  objectLabel;
  error;
  isLoading = false;
  hasLoaded = false;

  connectedCallback() {
    this.load();
  }

  get needsObject() {
    return !this.sourceObject || !this.sourceObject.trim();
  }

  get cardTitle() {
    if (this.title) {
      return this.title;
    }
    const name = this.objectLabel || this.sourceObject || "Records";
    return this.sources.length > 1
      ? `${name} from ${this.sources.length} orgs`
      : `${name} from Org B`;
  }

  get columns() {
    const columns = this.fieldList.map(columnFor);
    if (this.sources.length > 1) {
      columns.unshift({
        label: "Source",
        fieldName: SOURCE_FIELD,
        type: "text"
      });
    }
    return columns;
  }

  get sourceErrors() {
    return this.sources.filter((source) => source.error);
  }

  get hasSourceErrors() {
    return !this.isLoading && this.sourceErrors.length > 0;
  }

  get hasRows() {
    return !this.error && this.rows.length > 0;
  }

  get isEmpty() {
    const answered = this.sources.filter((source) => !source.error);
    return (
      this.hasLoaded &&
      !this.isLoading &&
      !this.error &&
      this.rows.length === 0 &&
      answered.length > 0
    );
  }

  get emptyMessage() {
    const names = this.sources
      .filter((source) => !source.error)
      .map((source) => source.label)
      .join(", ");
    return (
      `No ${this.objectLabel || this.sourceObject} records in ${names}. Records appear here once they exist ` +
      "in the source org and its integration user can read them."
    );
  }

  get canLoadMore() {
    return !this.error && this.sources.some((source) => source.nextCursor);
  }

  handleRefresh() {
    this.load();
  }

  handleLoadMore() {
    const cursors = {};
    for (const source of this.sources) {
      if (source.nextCursor) {
        cursors[source.connection] = source.nextCursor;
      }
    }
    this.load(cursors);
  }

  /** First page of every source, or (with cursors) the next page of the sources named in them. */
  async load(cursors) {
    if (this.needsObject) {
      return;
    }
    const view = await callApex(
      this,
      () =>
        loadRecords({
          connections: this.connections || null,
          objectApiName: this.sourceObject.trim(),
          fields: this.fields || null,
          pageSize: this.pageSize ? Number(this.pageSize) : null,
          cursors: cursors || null
        }),
      "Unknown error while loading records from the source orgs."
    );
    this.hasLoaded = true;
    if (!view) {
      return;
    }
    if (cursors) {
      this.merge(view);
    } else {
      this.objectLabel = view.objectLabel;
      this.fieldList = view.fields || [];
      this.sources = view.sources || [];
      this.rows = this.display(view.rows || []);
    }
  }

  /** Adds a "Load more" answer: new columns, new rows, and the asked sources' new cursor or error. */
  merge(view) {
    const known = new Set(this.fieldList.map((field) => field.name));
    this.fieldList = [
      ...this.fieldList,
      ...(view.fields || []).filter((field) => !known.has(field.name))
    ];
    const answered = new Map(
      (view.sources || []).map((source) => [source.connection, source])
    );
    this.sources = this.sources.map(
      (source) => answered.get(source.connection) || source
    );
    this.rows = [...this.rows, ...this.display(view.rows || [])];
    this.objectLabel = this.objectLabel || view.objectLabel;
  }

  display(rows) {
    const percentFields = this.fieldList
      .filter((field) => field.type === "percent")
      .map((field) => field.name);
    return rows.map((row) => displayRow(row, percentFields));
  }
}
