import { LightningElement } from "lwc";
import getLatestAccounts from "@salesforce/apex/OrgBAccountsController.getLatestAccounts";

/** Columns of the datatable; field names match OrgBAccountsClient.RemoteAccount. */
export const COLUMNS = [
  { label: "Name", fieldName: "name", type: "text" },
  {
    label: "Created",
    fieldName: "createdDate",
    type: "date",
    typeAttributes: {
      year: "numeric",
      month: "short",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit"
    }
  },
  { label: "Org B Id", fieldName: "id", type: "text" }
];

/**
 * Shows the latest Accounts of Org B. Loads imperatively (not with @wire) because the Apex method is not
 * cacheable: every load and every refresh goes to Org B.
 */
export default class LatestOrgBAccounts extends LightningElement {
  columns = COLUMNS;
  accounts = [];
  error;
  isLoading = false;
  hasLoaded = false;

  connectedCallback() {
    this.load();
  }

  get hasAccounts() {
    return !this.isLoading && !this.error && this.accounts.length > 0;
  }

  get isEmpty() {
    return (
      this.hasLoaded &&
      !this.isLoading &&
      !this.error &&
      this.accounts.length === 0
    );
  }

  handleRefresh() {
    this.load();
  }

  async load() {
    this.isLoading = true;
    this.error = undefined;
    try {
      const rows = await getLatestAccounts();
      this.accounts = rows || [];
    } catch (e) {
      this.accounts = [];
      this.error = errorMessage(e);
    } finally {
      this.isLoading = false;
      this.hasLoaded = true;
    }
  }
}

/** The message of an Apex error (AuraHandledException sets body.message) or of any other error. */
export function errorMessage(error) {
  if (error && error.body && typeof error.body.message === "string") {
    return error.body.message;
  }
  if (error && typeof error.message === "string") {
    return error.message;
  }
  return "Unknown error while loading the Accounts of Org B.";
}
