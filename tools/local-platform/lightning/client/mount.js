// Page entry: renders the tab's component, or a Lightning page's component instances with their
// properties, into #lp-root, and shows any error that escapes them on the page, so a failure is never
// a blank page.
import '@lwc/synthetic-shadow';
import { createElement } from 'lwc';
import { context } from './context.js';

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

function create(tagName, Component, properties, parent) {
    try {
        const element = createElement(tagName, { is: Component });
        // As App Builder does: each configured property set on the component's public (@api) property.
        Object.assign(element, properties || {});
        parent.appendChild(element);
    } catch (e) {
        showError(`${tagName} could not be rendered`, describe(e));
    }
}

/** One placeholder for a standard component (flexipage:richText, force:…), which only a real org renders. */
function placeholder(name, parent) {
    const box = document.createElement('div');
    box.className = 'slds-box slds-theme_shade slds-m-bottom_small slds-text-color_weak';
    box.dataset.id = 'standard-component';
    box.textContent = `${name}: a standard component, rendered only in a real org.`;
    parent.appendChild(box);
}

/** `components`: bundle name → [tag name, component class]. */
export function mount(components) {
    window.addEventListener('error', (event) => showError('This page hit an error', describe(event.error || event.message)));
    window.addEventListener('unhandledrejection', (event) => showError('This page hit an unhandled error', describe(event.reason)));
    const root = document.getElementById('lp-root');
    const page = context.page;
    if (!page) {
        const [tagName, Component] = components[context.component] || Object.values(components)[0];
        return create(tagName, Component, {}, root);
    }
    for (const region of page.regions) {
        const section = document.createElement('section');
        section.className = 'lp-region slds-m-bottom_medium';
        section.dataset.region = region.name;
        for (const instance of region.components) {
            const holder = document.createElement('div');
            holder.className = 'lp-component slds-m-bottom_small';
            holder.dataset.component = instance.componentName;
            section.appendChild(holder);
            const custom = /^c:(\w+)$/.exec(instance.componentName);
            if (custom && components[custom[1]]) create(components[custom[1]][0], components[custom[1]][1], instance.properties, holder);
            else placeholder(instance.componentName, holder);
        }
        root.appendChild(section);
    }
}
