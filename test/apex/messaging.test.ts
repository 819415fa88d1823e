/**
 * Messaging on the local runtime: in Apex tests sendEmail validates, counts toward the email limit
 * and reports success without delivering (as on Salesforce); outside tests the local platform says
 * it delivers no email. Inbound email classes are plain data an email service receives.
 */
import { describe, expect, it } from 'vitest';
import { runTests } from '../../tools/apex/index.ts';
import { createMemoryOrg } from '../../tools/local-platform/apex/memoryOrg.ts';
import { run } from './helpers.ts';

async function outcomes(body: string): Promise<Record<string, string>> {
  const host = createMemoryOrg({ classes: [{ name: 'MailTest', body }] }).host;
  const r = await runTests(host);
  return Object.fromEntries(r.tests.map((t) => [t.methodName, t.outcome === 'Pass' ? 'Pass' : String(t.message)]));
}

describe('Messaging.sendEmail', () => {
  it('validates each message, fails the call on the first bad row, and counts email invocations', async () => {
    expect(
      await outcomes(`@IsTest private class MailTest {
        static Messaging.SingleEmailMessage mail(List<String> to, String body) {
          Messaging.SingleEmailMessage m = new Messaging.SingleEmailMessage();
          m.setToAddresses(to);
          m.setSubject('Hi');
          m.setPlainTextBody(body);
          return m;
        }
        @IsTest static void sends() {
          Messaging.Email m = mail(new List<String>{ 'a@example.com' }, 'hello');
          List<Messaging.SendEmailResult> r = Messaging.sendEmail(new List<Messaging.Email>{ m });
          Assert.isTrue(r[0].isSuccess());
          Assert.areEqual(1, Limits.getEmailInvocations());
          Assert.areEqual(10, Limits.getLimitEmailInvocations());
          Assert.areEqual('Hi', ((Messaging.SingleEmailMessage) m).getSubject());
        }
        @IsTest static void refusesAMessageWithoutRecipient() {
          try {
            Messaging.sendEmail(new List<Messaging.Email>{ mail(new List<String>{ 'a@example.com' }, 'x'), mail(new List<String>(), 'x') });
            Assert.fail('expected EmailException');
          } catch (EmailException e) {
            Assert.areEqual('SendEmail failed. First exception on row 1; first error: REQUIRED_FIELD_MISSING, Add a recipient to send an email.: []', e.getMessage());
          }
        }
        @IsTest static void reportsPerRowWhenNotAllOrNothing() {
          List<Messaging.SendEmailResult> r = Messaging.sendEmail(new List<Messaging.Email>{ mail(new List<String>{ 'a@example.com' }, null) }, false);
          Assert.isFalse(r[0].isSuccess());
          Assert.areEqual(StatusCode.REQUIRED_FIELD_MISSING, r[0].getErrors()[0].getStatusCode());
        }
        @IsTest static void stopsAtTheLimit() {
          for (Integer i = 0; i < 10; i++) Messaging.sendEmail(new List<Messaging.Email>{ mail(new List<String>{ 'a@example.com' }, 'x') });
          Messaging.sendEmail(new List<Messaging.Email>{ mail(new List<String>{ 'a@example.com' }, 'x') });
        }
      }`),
    ).toEqual({
      sends: 'Pass',
      refusesAMessageWithoutRecipient: 'Pass',
      reportsPerRowWhenNotAllOrNothing: 'Pass',
      stopsAtTheLimit: 'System.LimitException: Too many Email Invocations: 11',
    });
  });

  it('is not supported outside tests: the local platform delivers no email', async () => {
    const r =
      await run(`Messaging.SingleEmailMessage m = new Messaging.SingleEmailMessage(); m.setToAddresses(new List<String>{ 'a@example.com' }); m.setPlainTextBody('x');
Messaging.sendEmail(new List<Messaging.Email>{ m });`);
    expect(r.exceptionMessage).toBe(
      'not supported by the local runtime: Messaging.sendEmail outside Apex tests (the local platform delivers no email) at AnonymousBlock:2',
    );
  });
});

describe('inbound email classes', () => {
  it('are data an email service handler reads and answers with', async () => {
    const classes = [
      {
        name: 'Echo',
        body: `public class Echo implements Messaging.InboundEmailHandler {
  public Messaging.InboundEmailResult handleInboundEmail(Messaging.InboundEmail email, Messaging.InboundEnvelope envelope) {
    Messaging.InboundEmailResult result = new Messaging.InboundEmailResult();
    result.success = email.binaryAttachments.size() == 1;
    result.message = email.subject + ' from ' + envelope.fromAddress + ' ' + email.binaryAttachments[0].body.toString();
    return result;
  }
}`,
      },
    ];
    const r = await run(
      `Messaging.InboundEmail email = new Messaging.InboundEmail();
       email.subject = 'Report';
       Messaging.InboundEmail.BinaryAttachment a = new Messaging.InboundEmail.BinaryAttachment();
       a.body = Blob.valueOf('data');
       email.binaryAttachments = new List<Messaging.InboundEmail.BinaryAttachment>{ a };
       Messaging.InboundEnvelope env = new Messaging.InboundEnvelope();
       env.fromAddress = 'x@example.com';
       Messaging.InboundEmailResult res = new Echo().handleInboundEmail(email, env);
       System.debug(res.success + ' ' + res.message + ' ' + email.plainTextBody);`,
      { classes },
    );
    expect(r.compileProblem ?? r.exceptionMessage).toBeUndefined();
    expect(r.debug).toEqual(['true Report from x@example.com data null']);
  });
});
