import { LightningElement } from "lwc";
import getLatestAccounts from "@salesforce/apex/OrgBAccountsController.getLatestAccounts";
import { callApex } from "c/apexCard";

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
    const rows = await callApex(
      this,
      getLatestAccounts,
      "Unknown error while loading the Accounts of Org B."
    );
    this.accounts = rows || [];
    this.hasLoaded = true;
  }
}
