import { createElement } from "lwc";
import {
  find,
  flush,
  unmountAll
} from "../../apexCard/__tests__/cardTestUtils.js";
import RemoteRecords, { columnFor } from "c/remoteRecords";
import loadRecords from "@salesforce/apexContinuation/RemoteRecordsController.loadRecords";

jest.mock(
  "@salesforce/apexContinuation/RemoteRecordsController.loadRecords",
  () => ({ default: jest.fn() }),
  { virtual: true }
);

const FIELDS = [
  { name: "Name", label: "Account Name", type: "string" },
  { name: "AnnualRevenue", label: "Annual Revenue", type: "currency" },
  { name: "CreatedDate", label: "Created Date", type: "datetime" },
  { name: "ParentId", label: "Parent Account ID", type: "reference" },
  { name: "Share", label: "Share", type: "percent" }
];
const ALPHA = {
  connection: "Alpha",
  label: "Org Alpha",
  error: null,
  nextCursor: "CURSOR-A1",
  rowCount: 1
};
const BETA = {
  connection: "Beta",
  label: "Org Beta",
  error: null,
  nextCursor: null,
  rowCount: 1
};
const row = (source, connection, id, name) => ({
  Id: id,
  Name: name,
  AnnualRevenue: 1000,
  CreatedDate: "2026-11-20T10:30:00.000Z",
  ParentId: null,
  Share: 12.5,
  _source: source,
  _key: `${connection}:${id}`
});
const TWO_SOURCES = {
  objectApiName: "Account",
  objectLabel: "Account",
  fields: FIELDS,
  rows: [
    row("Org Alpha", "Alpha", "001A", "Alpha Ltd"),
    row("Org Beta", "Beta", "001B", "Beta Inc")
  ],
  sources: [ALPHA, BETA]
};
const BETA_DOWN = {
  ...TWO_SOURCES,
  rows: [row("Org Alpha", "Alpha", "001A", "Alpha Ltd")],
  sources: [
    ALPHA,
    {
      ...BETA,
      rowCount: 0,
      error:
        "The callout to Org B failed (Continuation status 2001): check that Org B is reachable"
    }
  ]
};
const ALPHA_PAGE_2 = {
  objectApiName: "Account",
  objectLabel: "Account",
  fields: FIELDS,
  rows: [row("Org Alpha", "Alpha", "001C", "Alpha Two")],
  sources: [{ ...ALPHA, nextCursor: null }]
};
const EMPTY = {
  objectApiName: "Account",
  objectLabel: "Account",
  fields: FIELDS,
  rows: [],
  sources: [{ ...BETA, rowCount: 0 }]
};
const APEX_ERROR = {
  status: 500,
  body: {
    message:
      "This component can show at most 3 connections (one Continuation holds three callouts)"
  }
};

function mount(properties) {
  const element = createElement("c-remote-records", { is: RemoteRecords });
  Object.assign(element, {
    sourceObject: "Account",
    pageSize: 10,
    ...properties
  });
  document.body.appendChild(element);
  return element;
}

describe("c-remote-records", () => {
  afterEach(() => {
    unmountAll();
    jest.clearAllMocks();
  });

  it("asks the controller with the component's properties", async () => {
    loadRecords.mockResolvedValue(TWO_SOURCES);

    mount({
      connections: "Alpha,Beta",
      fields: "Name,AnnualRevenue",
      pageSize: 5
    });
    await flush();

    expect(loadRecords).toHaveBeenCalledWith({
      connections: "Alpha,Beta",
      objectApiName: "Account",
      fields: "Name,AnnualRevenue",
      pageSize: 5,
      cursors: null
    });
  });

  it("shows the rows of every source in one table with a Source column", async () => {
    loadRecords.mockResolvedValue(TWO_SOURCES);

    const element = mount();
    await flush();

    const table = find(element, "table");
    expect(table.keyField).toBe("_key");
    expect(table.data.map((r) => r.Name)).toEqual(["Alpha Ltd", "Beta Inc"]);
    expect(table.columns.map((c) => c.label)).toEqual([
      "Source",
      "Account Name",
      "Annual Revenue",
      "Created Date",
      "Parent Account ID",
      "Share"
    ]);
    expect(table.data[0]._source).toBe("Org Alpha");
    expect(element.shadowRoot.querySelector("c-apex-card").title).toBe(
      "Account from 2 orgs"
    );
    expect(find(element, "source-errors")).toBeNull();
  });

  it("formats columns by Org B's field types", async () => {
    loadRecords.mockResolvedValue(TWO_SOURCES);

    const element = mount();
    await flush();

    const types = Object.fromEntries(
      find(element, "table").columns.map((c) => [c.fieldName, c.type])
    );
    expect(types).toEqual({
      _source: "text",
      Name: "text",
      AnnualRevenue: "currency",
      CreatedDate: "date",
      ParentId: "text",
      Share: "percent"
    });
    expect(find(element, "table").data[0].Share).toBeCloseTo(0.125);
    expect(columnFor({ name: "D", label: "D", type: "date" }).type).toBe(
      "date-local"
    );
    expect(columnFor({ name: "N", label: "N", type: "double" }).type).toBe(
      "number"
    );
    expect(columnFor({ name: "E", label: "E", type: "email" }).type).toBe(
      "email"
    );
    expect(columnFor({ name: "X", label: "X", type: "textarea" }).type).toBe(
      "text"
    );
  });

  it("leaves the Source column out for a single source", async () => {
    loadRecords.mockResolvedValue({
      ...TWO_SOURCES,
      rows: TWO_SOURCES.rows.slice(1),
      sources: [BETA]
    });

    const element = mount({ title: "Beta accounts" });
    await flush();

    expect(find(element, "table").columns[0].label).toBe("Account Name");
    expect(element.shadowRoot.querySelector("c-apex-card").title).toBe(
      "Beta accounts"
    );
    expect(find(element, "load-more")).toBeNull();
  });

  it("shows a source that is down beside the rows of the others", async () => {
    loadRecords.mockResolvedValue(BETA_DOWN);

    const element = mount();
    await flush();

    const errors = element.shadowRoot.querySelectorAll(
      '[data-id="source-error"]'
    );
    expect(errors).toHaveLength(1);
    expect(errors[0].textContent).toBe(
      `Org Beta: ${BETA_DOWN.sources[1].error}`
    );
    expect(find(element, "table").data.map((r) => r.Name)).toEqual([
      "Alpha Ltd"
    ]);
    expect(find(element, "empty")).toBeNull();
  });

  it("says which sources have no records", async () => {
    loadRecords.mockResolvedValue(EMPTY);

    const element = mount();
    await flush();

    expect(find(element, "empty").textContent).toBe(
      "No Account records in Org Beta. Records appear here once they exist in the source org and its integration user can read them."
    );
    expect(find(element, "table")).toBeNull();
  });

  it("shows the controller's message when the properties are wrong", async () => {
    loadRecords.mockRejectedValue(APEX_ERROR);

    const element = mount({ connections: "A,B,C,D" });
    await flush();

    expect(find(element, "error").textContent).toBe(APEX_ERROR.body.message);
    expect(find(element, "table")).toBeNull();
    expect(find(element, "empty")).toBeNull();
  });

  it("keeps its configured object when a record page sets objectApiName", async () => {
    loadRecords.mockResolvedValue(TWO_SOURCES);

    const element = createElement("c-remote-records", { is: RemoteRecords });
    Object.assign(element, {
      sourceObject: "Contact",
      objectApiName: "Account"
    });
    document.body.appendChild(element);
    await flush();

    expect(loadRecords.mock.calls[0][0].objectApiName).toBe("Contact");
  });

  it("asks for an object before calling Apex", async () => {
    const element = mount({ sourceObject: " " });
    await flush();

    expect(find(element, "unconfigured").textContent).toContain(
      "Set the Object property"
    );
    expect(loadRecords).not.toHaveBeenCalled();
  });

  it("loads the next page of the sources that have one", async () => {
    loadRecords
      .mockResolvedValueOnce(TWO_SOURCES)
      .mockResolvedValueOnce(ALPHA_PAGE_2);

    const element = mount();
    await flush();
    find(element, "load-more").click();
    await flush();

    expect(loadRecords).toHaveBeenLastCalledWith(
      expect.objectContaining({
        cursors: { Alpha: "CURSOR-A1" },
        objectApiName: "Account"
      })
    );
    expect(find(element, "table").data.map((r) => r.Name)).toEqual([
      "Alpha Ltd",
      "Beta Inc",
      "Alpha Two"
    ]);
    expect(find(element, "load-more")).toBeNull();
  });

  it("starts over from the first page on refresh", async () => {
    loadRecords
      .mockResolvedValueOnce(BETA_DOWN)
      .mockResolvedValueOnce(TWO_SOURCES);

    const element = mount();
    await flush();
    find(element, "refresh").click();
    await flush();

    expect(loadRecords).toHaveBeenCalledTimes(2);
    expect(loadRecords.mock.calls[1][0].cursors).toBeNull();
    expect(find(element, "source-errors")).toBeNull();
    expect(find(element, "table").data).toHaveLength(2);
  });
});
