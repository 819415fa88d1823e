/**
 * An error the REST API reports as Salesforce does: HTTP status plus `[{ message, errorCode, fields }]`.
 * Thrown inside the store and SOQL engine (tools/data); the HTTP layer turns it into the response body.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
    readonly fields: string[] = [],
  ) {
    super(message);
    this.name = errorCode;
  }

  body(): { message: string; errorCode: string; fields?: string[] }[] {
    return [{ message: this.message, errorCode: this.errorCode, ...(this.fields.length ? { fields: this.fields } : {}) }];
  }
}

export const invalidType = (name: string): ApiError =>
  new ApiError(
    400,
    'INVALID_TYPE',
    `sObject type '${name}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
  );

/**
 * A standard-looking field of a standard object that the schema catalogue lacks may well exist on Salesforce
 * (the catalogue is partial): the refusal says so after Salesforce's text (tools/local-platform/FIDELITY.md).
 */
function uncatalogued(field: string, sobject: string, standardObject: boolean): string {
  if (!standardObject || /__[a-z]+$/i.test(field)) return '';
  return ` (Not supported by the local runtime: its schema catalogue lists no ${sobject}.${field}. If Salesforce documents this field, add it to tools/data/standardObjects.ts.)`;
}

/** `standardObject`: the object is a standard one, whose catalogue of fields is partial. */
export const invalidField = (field: string, sobject: string, standardObject = false): ApiError =>
  new ApiError(
    400,
    'INVALID_FIELD',
    `No such column '${field}' on entity '${sobject}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.${uncatalogued(field, sobject, standardObject)}`,
  );

/** A write naming a field the object lacks, or one hidden from the user (REST create/update; field reports). */
export const noSuchColumnOnWrite = (field: string, sobject: string, standardObject = false): ApiError =>
  new ApiError(
    400,
    'INVALID_FIELD',
    `No such column '${field}' on sobject of type ${sobject}${uncatalogued(field, sobject, standardObject)}`,
    [field],
  );

export const notFound = (message = 'The requested resource does not exist'): ApiError => new ApiError(404, 'NOT_FOUND', message);
