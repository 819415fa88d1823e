import { LightningElement } from "lwc";
import getUsers from "@salesforce/apex/ExternalServiceController.getUsers";
import { callApex } from "c/apexCard";

/** Columns of the datatable; field names match ExternalServiceClient.ExternalUser. */
export const COLUMNS = [
  { label: "Name", fieldName: "name", type: "text" },
  { label: "Email", fieldName: "email", type: "email" },
  { label: "Id", fieldName: "id", type: "number" }
];

/**
 * The external service's answer, called through the Named Credential External_Service with a JWT that
 * Salesforce mints. Renders nothing while the credential is not set up for the user (configured false).
 */
export default class ExternalServiceUsers extends LightningElement {
  columns = COLUMNS;
  users = [];
  callerSubject;
  error;
  configured = false;
  isLoading = false;

  connectedCallback() {
    this.load();
  }

  get hasUsers() {
    return !this.isLoading && !this.error && this.users.length > 0;
  }

  get showCard() {
    return this.configured || Boolean(this.error);
  }

  handleRefresh() {
    this.load();
  }

  async load() {
    const view = await callApex(
      this,
      getUsers,
      "Unknown error while calling the external service."
    );
    if (this.error) {
      this.users = [];
      return;
    }
    this.configured = Boolean(view && view.configured);
    this.users = (view && view.users) || [];
    this.callerSubject = view && view.callerSubject;
  }
}
