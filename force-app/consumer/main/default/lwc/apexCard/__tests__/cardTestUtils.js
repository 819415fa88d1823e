// Helpers for the Jest tests of components that show an Apex call in a c-apex-card (not a test itself).
import { createElement } from "lwc";

/** Resolves after pending promises and the re-render they cause. */
export function flush() {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

export function mount(tagName, Component) {
  const element = createElement(tagName, { is: Component });
  document.body.appendChild(element);
  return element;
}

/** An element of the component, or of its card frame (c-apex-card: refresh, spinner, error). */
export function find(element, id) {
  const card = element.shadowRoot.querySelector("c-apex-card");
  return (
    element.shadowRoot.querySelector(`[data-id="${id}"]`) ||
    (card && card.shadowRoot.querySelector(`[data-id="${id}"]`))
  );
}

export function unmountAll() {
  while (document.body.firstChild) {
    document.body.removeChild(document.body.firstChild);
  }
}
