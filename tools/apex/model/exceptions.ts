/** Built-in exception classes: `Exception` and the System.* family plus namespaced ones. */
import { ClassDef } from './classModel.ts';

export const builtinExceptions = new Map<string, ClassDef>();
const exceptionBase = new ClassDef('Exception', 'System');
exceptionBase.builtin = true;
exceptionBase.namespace = 'System';
exceptionBase.linked = true;
builtinExceptions.set('exception', exceptionBase);
builtinExceptions.set('system.exception', exceptionBase);

function defineException(name: string, namespace = 'System'): ClassDef {
  const c = new ClassDef(name, namespace);
  c.builtin = true;
  c.namespace = namespace;
  c.superClass = exceptionBase;
  c.linked = true;
  builtinExceptions.set((namespace + '.' + name).toLowerCase(), c);
  if (namespace === 'System') builtinExceptions.set(name.toLowerCase(), c);
  return c;
}
for (const n of [
  'NullPointerException',
  'ListException',
  'QueryException',
  'JSONException',
  'CalloutException',
  'TypeException',
  'StringException',
  'MathException',
  'DmlException',
  'LimitException',
  'AssertException',
  'IllegalArgumentException',
  'NoDataFoundException',
  'SObjectException',
  'FinalException',
  'SerializationException',
  'UnexpectedException',
  'HandledException',
  'NoAccessException',
  'SecurityException',
  'InvalidParameterValueException',
  'XmlException',
  'CryptoException',
  'AsyncException',
  'DuplicateMessageException',
  'EmailException',
  'RequiredFeatureMissingException',
  'SearchException',
  'InvalidHeaderException',
  'NoSuchElementException',
  'UnsupportedOperationException',
  'AuraHandledException',
  'FormulaValidationException',
  'FormulaEvaluationException',
])
  defineException(n);
defineException('OrgCacheException', 'Cache.Org');
defineException('SessionCacheException', 'Cache.Session');
defineException('InvalidCacheBuilderException', 'Cache');
defineException('InvalidParamException', 'Cache');
defineException('JWTBearerTokenExchangeException', 'Auth.JWTBearerTokenExchange');
defineException('AuthProviderPluginException', 'Auth');

export function exceptionClass(qualified: string): ClassDef {
  const c = builtinExceptions.get(qualified.toLowerCase());
  if (!c) throw new Error('unknown builtin exception ' + qualified);
  return c;
}
