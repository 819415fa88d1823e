import { LightningElement, api } from "lwc";

/**
 * The frame of a card that shows the answer of one Apex call: a title, a refresh button (disabled
 * while loading) that fires `refresh`, a spinner, the call's error, and the answer in the default slot.
 */
export default class ApexCard extends LightningElement {
  @api title;
  @api iconName;
  @api loadingText;
  @api isLoading = false;
  @api error;

  handleRefresh() {
    this.dispatchEvent(new CustomEvent("refresh"));
  }
}

/**
 * Runs an Apex call for a component that shows it in a card: `isLoading` while it runs, `error` set to
 * its message when it fails (cleared before). Resolves to the answer, or undefined when it failed.
 */
export async function callApex(component, apexMethod, fallbackMessage) {
  component.isLoading = true;
  component.error = undefined;
  try {
    return await apexMethod();
  } catch (e) {
    component.error = errorMessage(e, fallbackMessage);
    return undefined;
  } finally {
    component.isLoading = false;
  }
}

/** The message of an Apex error (an AuraHandledException sets body.message), of any other error, or the fallback. */
export function errorMessage(error, fallbackMessage) {
  if (error && error.body && typeof error.body.message === "string") {
    return error.body.message;
  }
  if (error && typeof error.message === "string") {
    return error.message;
  }
  return fallbackMessage;
}
