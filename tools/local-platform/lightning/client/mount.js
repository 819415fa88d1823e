// Page entry: renders the tab's component into #lp-root and shows any error that escapes it on the
// page, so a failure is never a blank page.
import '@lwc/synthetic-shadow';
import { createElement } from 'lwc';

function showError(title, message) {
    const box = document.getElementById('lp-errors');
    if (!box) return;
    const item = document.createElement('div');
    item.className = 'slds-box slds-theme_default slds-m-bottom_small';
    item.setAttribute('role', 'alert');
    item.dataset.id = 'page-error';
    const heading = document.createElement('h2');
    heading.className = 'slds-text-heading_small';
    heading.textContent = title;
    const text = document.createElement('p');
    text.className = 'lp-error slds-text-color_error';
    text.textContent = message;
    item.append(heading, text);
    box.append(item);
}

const describe = (e) => (e && (e.body && e.body.message)) || (e && e.message) || String(e);

export function mount(tagName, Component) {
    window.addEventListener('error', (event) => showError('This page hit an error', describe(event.error || event.message)));
    window.addEventListener('unhandledrejection', (event) => showError('This page hit an unhandled error', describe(event.reason)));
    try {
        document.getElementById('lp-root').appendChild(createElement(tagName, { is: Component }));
    } catch (e) {
        showError(`${tagName} could not be rendered`, describe(e));
    }
}
