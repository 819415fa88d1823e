/** Loads every system library module (each registers its types on import). */
import './primitives.ts';
import './collections.ts';
import './schema.ts';
import './system.ts';
import './json.ts';
import './web.ts';
import './continuation.ts';
import './trigger.ts';
import './async.ts';
import './messaging.ts';
import './eventBus.ts';
import './platformTypes.ts';
import './search.ts';
import './orgLimits.ts';
import './location.ts';
import './cursor.ts';
import './databaseResults.ts';
