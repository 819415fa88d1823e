import { it } from 'vitest';
import { run } from '/work/wt/h18/test/apex/helpers.ts';
it('x', async () => {
  for (const src of [
    `Datetime localStart = Datetime.newInstance(Date.newInstance(System.today().year() - 2, 1, 1), Time.newInstance(0, 0, 0, 0));
    Datetime localEnd = Datetime.newInstance(localStart.date(), Time.newInstance(23, 59, 59, 59));
    System.debug(localStart + ' ' + localEnd);
    ContactPointAddress cpaParent = new ContactPointAddress(Name = 'Parent');
    insert cpaParent;
    insert new ContactPointConsent(Name = 'Day start ' + localStart, CaptureDate = localStart, ContactPointId = cpaParent.Id);
    insert new ContactPointConsent(Name = 'Hour', CaptureDate = Datetime.newInstanceGmt(System.today(), Time.newInstance(7, 0, 0, 0)), ContactPointId = cpaParent.Id);
    insert new ContactPointConsent(Name = 'Day end ' + localEnd, CaptureDate = localEnd, ContactPointId = cpaParent.Id);
    `,
  ]) { const r = await run(src); console.log('=>', r.success, r.exceptionMessage, r.compileProblem, r.debug, r.exceptionStackTrace); }
});
