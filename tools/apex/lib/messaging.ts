/**
 * Messaging: outbound email (SingleEmailMessage, EmailFileAttachment, sendEmail with its limit and
 * validation) and the inbound email classes an Apex email service receives. Apex tests never deliver
 * email on Salesforce, so sendEmail in a test validates, counts and reports success; outside tests
 * the local platform has no mail transport and says so instead of dropping the message.
 */
import { NObj } from './nativeValues.ts';
import { defineNative } from '../model/natives.ts';
import { ApexList } from '../run/values.ts';
import type { TypeRef } from '../model/typeRef.ts';
import { LIMITS } from '../run/transaction.ts';
import { statusCode } from './system.ts';
import { limitEx, throwEx, unsupported } from '../run/exceptions.ts';
import type { Frame } from '../run/frame.ts';
import type { Site } from '../model/classModel.ts';

const STRING: TypeRef = { name: 'String', args: [], array: 0 };
const strings = (v: unknown): string[] => (v instanceof ApexList ? v.items.map(String) : []);

// ---------------------------------------------------------------- outbound

/** Setter/getter pairs of SingleEmailMessage (and its base Messaging.Email). */
const EMAIL_PROPERTIES = [
  'ToAddresses',
  'CcAddresses',
  'BccAddresses',
  'Subject',
  'PlainTextBody',
  'HtmlBody',
  'TargetObjectId',
  'WhatId',
  'TemplateId',
  'SaveAsActivity',
  'SenderDisplayName',
  'ReplyTo',
  'OrgWideEmailAddressId',
  'UseSignature',
  'FileAttachments',
  'EntityAttachments',
  'Charset',
  'TreatTargetObjectAsRecipient',
  'TreatBodiesAsTemplate',
  'OptOutPolicy',
  'InReplyTo',
  'References',
  'BccSender',
];

function accessors(props: string[]): Record<string, (f: Frame, o: NObj, args: unknown[]) => unknown> {
  const out: Record<string, (f: Frame, o: NObj, args: unknown[]) => unknown> = {};
  for (const p of props) {
    out['set' + p] = (f, o, [v]) => (o.set(p, v), null);
    out['get' + p] = (f, o) => o.get(p);
  }
  return out;
}

const isEmail = (v: unknown) => v instanceof NObj && /^Messaging\.(Single|Mass)EmailMessage$/.test(v.typeName);

defineNative({ name: 'Messaging.Email', instanceOf: isEmail });
defineNative({
  name: 'Messaging.SingleEmailMessage',
  construct: () => {
    const m = new NObj('Messaging.SingleEmailMessage');
    m.set('SaveAsActivity', true);
    m.set('UseSignature', true);
    return m;
  },
  methods: accessors(EMAIL_PROPERTIES),
  instanceOf: (v) => v instanceof NObj && v.typeName === 'Messaging.SingleEmailMessage',
});
defineNative({
  name: 'Messaging.EmailFileAttachment',
  construct: () => new NObj('Messaging.EmailFileAttachment'),
  methods: accessors(['FileName', 'Body', 'ContentType', 'Inline', 'Id']),
});

interface EmailError {
  code: string;
  message: string;
  fields: string[];
}

/**
 * Salesforce's row checks before sending: a recipient and a body (or a template). Unverified:
 * the exact texts of these two errors.
 */
function validate(m: NObj): EmailError | undefined {
  const recipients = [...strings(m.get('ToAddresses')), ...strings(m.get('CcAddresses')), ...strings(m.get('BccAddresses'))];
  if (!recipients.length && !m.get('TargetObjectId'))
    return { code: 'REQUIRED_FIELD_MISSING', message: 'Add a recipient to send an email.', fields: [] };
  const bad = recipients.find((a) => !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(a));
  if (bad !== undefined) return { code: 'INVALID_EMAIL_ADDRESS', message: `Email address is invalid: ${bad}`, fields: [] };
  if (m.get('PlainTextBody') === null && m.get('HtmlBody') === null && !m.get('TemplateId'))
    return { code: 'REQUIRED_FIELD_MISSING', message: 'Missing body, need at least one of html or plainText body.', fields: [] };
  return undefined;
}

function sendResult(err: EmailError | undefined): NObj {
  const r = new NObj('Messaging.SendEmailResult');
  const errors = new ApexList([], { name: 'Messaging.SendEmailError', args: [], array: 0 });
  if (err) {
    const e = new NObj('Messaging.SendEmailError');
    e.set('message', err.message);
    e.set('statusCode', statusCode(err.code));
    e.set('fields', new ApexList(err.fields, STRING));
    errors.items.push(e);
  }
  r.set('errors', errors);
  return r;
}

async function sendEmail(f: Frame, [emails, allOrNothing]: unknown[], site: Site): Promise<ApexList> {
  if (!f.tx.isTest) return unsupported(f, 'Messaging.sendEmail outside Apex tests (the local platform delivers no email)', site);
  if (++f.tx.counts.emails > LIMITS.emailInvocations) limitEx(f, `Too many Email Invocations: ${f.tx.counts.emails}`);
  if (!(emails instanceof ApexList)) throwEx(f, 'NullPointerException', 'Argument cannot be null.');
  const errors = emails.items.map((m) =>
    m instanceof NObj ? validate(m) : { code: 'REQUIRED_FIELD_MISSING', message: 'Missing email', fields: [] },
  );
  const first = errors.findIndex(Boolean);
  if (first >= 0 && allOrNothing !== false) {
    const e = errors[first]!;
    throwEx(
      f,
      'EmailException',
      `SendEmail failed. First exception on row ${first}; first error: ${e.code}, ${e.message}: [${e.fields.join(', ')}]`,
    );
  }
  return new ApexList(errors.map(sendResult), { name: 'Messaging.SendEmailResult', args: [], array: 0 });
}

defineNative(
  {
    name: 'Messaging',
    statics: {
      sendEmail: sendEmail,
      // Capacity for the day: nothing is delivered locally, so any positive amount is available.
      reserveSingleEmailCapacity: (f, [n]) =>
        Number(n) > 0 ? null : throwEx(f, 'InvalidParameterValueException', 'The amount must be a positive number.'),
      reserveMassEmailCapacity: (f, [n]) =>
        Number(n) > 0 ? null : throwEx(f, 'InvalidParameterValueException', 'The amount must be a positive number.'),
    },
  },
  'System.Messaging',
);
defineNative({
  name: 'Messaging.SendEmailResult',
  methods: { isSuccess: (f, r: NObj) => r.get<ApexList>('errors').items.length === 0, getErrors: (f, r: NObj) => r.get('errors') },
});
defineNative({
  name: 'Messaging.SendEmailError',
  methods: {
    getMessage: (f, e: NObj) => e.get('message'),
    getStatusCode: (f, e: NObj) => e.get('statusCode'),
    getFields: (f, e: NObj) => e.get('fields'),
    getTargetObjectId: () => null,
  },
});

// ---------------------------------------------------------------- inbound (email services)

/** A class of public fields that Apex constructs and fills itself (`new Messaging.InboundEmail()`). */
function dataClass(name: string, fields: string[], defaults: Record<string, () => unknown> = {}, ...aliases: string[]): void {
  defineNative(
    {
      name,
      construct: () => {
        const o = new NObj(name);
        for (const k of fields) o.set(k, defaults[k] ? defaults[k]() : null);
        return o;
      },
      fields: fields.map((k) => k.toLowerCase()),
    },
    ...aliases,
  );
}

dataClass('Messaging.InboundEmail', [
  'binaryAttachments',
  'ccAddresses',
  'fromAddress',
  'fromName',
  'headers',
  'htmlBody',
  'htmlBodyIsTruncated',
  'inReplyTo',
  'messageId',
  'plainTextBody',
  'plainTextBodyIsTruncated',
  'references',
  'replyTo',
  'subject',
  'textAttachments',
  'toAddresses',
]);
dataClass('Messaging.InboundEmail.BinaryAttachment', ['body', 'fileName', 'mimeTypeSubType', 'headers']);
dataClass('Messaging.InboundEmail.TextAttachment', ['body', 'bodyIsTruncated', 'charset', 'fileName', 'mimeTypeSubType', 'headers']);
dataClass('Messaging.InboundEmail.Header', ['name', 'value']);
dataClass('Messaging.InboundEnvelope', ['fromAddress', 'toAddress']);
dataClass('Messaging.InboundEmailResult', ['success', 'message']);
