import { ApiError } from '../../data/errors.ts';

/** The data engine's errors, for the HTTP layer's routes. */
export { ApiError, invalidField, invalidType, noSuchColumnOnWrite, notFound } from '../../data/errors.ts';

export const invalidSession = (): ApiError => new ApiError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
