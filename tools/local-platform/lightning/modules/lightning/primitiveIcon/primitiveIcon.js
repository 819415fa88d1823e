/*
 * The local platform's lightning/primitiveIcon: the same API as the base component's, drawing icons
 * from the SLDS sprites (<use href="/assets/icons/…-sprite/svg/symbols.svg#name">) instead of the
 * inline SVG template libraries, which are several megabytes of templates to compile per bundle.
 */
import { LightningElement, api } from 'lwc';
import { classSet } from 'lightning/utils';
import { normalizeString, sanitizeURL } from 'lightning/utilsPrivate';
import { getIconPath, getName } from 'lightning/iconUtils';
import dir from '@salesforce/i18n/dir';

const SIZES = ['xx-small', 'x-small', 'small', 'medium', 'large'];
const VARIANTS = ['bare', 'error', 'inverse', 'warning', 'success'];
const VARIANT_CLASS = { error: 'slds-icon-text-error', warning: 'slds-icon-text-warning', success: 'slds-icon-text-success' };

export default class LocalPrimitiveIcon extends LightningElement {
    static validationOptOut = ['class'];
    @api src;
    @api svgClass;
    @api iconName;
    _size = 'medium';
    _variant = '';

    @api
    get size() {
        return this._size;
    }
    set size(value) {
        this._size = normalizeString(value, { fallbackValue: 'medium', validValues: SIZES });
        this.setAttribute('size', this._size);
    }

    @api
    get variant() {
        return this._variant;
    }
    set variant(value) {
        this._variant = normalizeString(value, { fallbackValue: '', validValues: VARIANTS });
        this.setAttribute('variant', this._variant);
    }

    get href() {
        return this.src ? sanitizeURL(this.src) : getIconPath(this.iconName, dir);
    }

    get name() {
        return getName(this.iconName);
    }

    get computedClass() {
        const classes = classSet(this.svgClass);
        if (this._variant !== 'bare') classes.add('slds-icon');
        if (VARIANT_CLASS[this._variant]) classes.add(VARIANT_CLASS[this._variant]);
        else if (!this._variant && !this.src) classes.add('slds-icon-text-default');
        if (this._size !== 'medium') classes.add(`slds-icon_${this._size}`);
        return classes.toString();
    }
}
