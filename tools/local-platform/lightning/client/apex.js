// @salesforce/apex for the local platform: each imported method posts an ApexActionController action
// to the org's /aura endpoint, as Lightning does. Imperative calls resolve with the return value or
// reject with { status, statusText, ok, headers, body: { message, exceptionType, ... } }; as a wire
// adapter a method emits { data, error } and needs cacheable=true.
import { context } from './context.js';

let sequence = 0;

function apexError(status, statusText, body) {
    return { status, statusText, ok: false, headers: {}, body };
}

async function callApex(classname, method, params, cacheable, isContinuation = false) {
    const id = `${++sequence};a`;
    const message = {
        actions: [
            {
                id,
                descriptor: 'aura://ApexActionController/ACTION$execute',
                callingDescriptor: 'UNKNOWN',
                params: { namespace: '', classname, method, params: params || {}, cacheable, isContinuation }
            }
        ]
    };
    const form = new URLSearchParams({
        message: JSON.stringify(message),
        'aura.context': JSON.stringify({ mode: 'PROD', app: 'one:one' }),
        'aura.pageURI': location.pathname,
        'aura.token': context.csrf || ''
    });
    let response;
    try {
        response = await fetch(`/aura?r=${sequence}&aura.ApexAction.execute=1`, { method: 'POST', body: form, credentials: 'same-origin' });
    } catch (e) {
        throw apexError(0, 'Network Error', { message: `The local platform did not answer: ${e.message}` });
    }
    const text = await response.text();
    let payload;
    try {
        payload = JSON.parse(text.replace(/^while\(1\);\s*/, ''));
    } catch (e) {
        throw apexError(response.status, response.statusText, { message: `Unreadable answer from /aura (HTTP ${response.status}).` });
    }
    if (!response.ok || !payload.actions) {
        throw apexError(response.status, response.statusText, { message: (payload.event && payload.event.message) || payload.message || `HTTP ${response.status}` });
    }
    const action = payload.actions.find((a) => a.id === id) || payload.actions[0];
    if (action.state === 'SUCCESS') return action.returnValue ? action.returnValue.returnValue : null;
    throw apexError(500, 'Server Error', (action.error && action.error[0]) || { message: 'The Apex action failed.' });
}

// "At any time, there can be only one continuation in progress on the client" (LWC Developer Guide,
// Continuation Limits): continuation actions wait for the one before them.
let continuationTail = Promise.resolve();
function callContinuation(classname, method, params, cacheable) {
    const run = continuationTail.then(() => callApex(classname, method, params, cacheable, true));
    continuationTail = run.then(
        () => undefined,
        () => undefined
    );
    return run;
}

// Wired values → the adapter that emitted them, for refreshApex.
const emitted = new WeakMap();

/** `@salesforce/apex/Class.method`, or with `continuation` `@salesforce/apexContinuation/Class.method`. */
export function apexMethod(classname, method, continuation = false) {
    const call = (params, cacheable) => (continuation ? callContinuation : callApex)(classname, method, params, cacheable);
    const imperative = (params) => call(params, false);
    imperative.adapter = class ApexWireAdapter {
        constructor(dataCallback) {
            this.dataCallback = dataCallback;
            this.connected = false;
            this.config = undefined;
        }
        connect() {
            this.connected = true;
            if (this.config !== undefined) this.load();
        }
        disconnect() {
            this.connected = false;
        }
        update(config) {
            const next = JSON.stringify(config || {});
            if (next === this.configKey) return;
            this.configKey = next;
            this.config = config || {};
            if (this.connected) this.load();
        }
        load() {
            return call(this.config, true).then(
                (data) => this.emit({ data, error: undefined }),
                (error) => this.emit({ data: undefined, error })
            );
        }
        emit(value) {
            emitted.set(value, this);
            if (this.connected) this.dataCallback(value);
        }
    };
    return imperative;
}

/** Re-runs the wire that produced `value` and emits its fresh result. */
export function refreshApex(value) {
    const adapter = value && emitted.get(value);
    return adapter ? adapter.load() : Promise.resolve();
}

export function getSObjectValue(record, field) {
    const name = typeof field === 'string' ? field : field && field.fieldApiName;
    return name ? name.split('.').reduce((v, part) => (v == null ? v : v[part]), record) : undefined;
}
