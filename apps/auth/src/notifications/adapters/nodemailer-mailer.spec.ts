import { Writable } from 'node:stream';
import { createLogger } from '@lib/observability';
import { NodemailerMailer } from './nodemailer-mailer';

describe('the mailer without SMTP_URL (local runs)', () => {
  it('writes each rendered mail to the JSON log instead of sending it', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(...chunk.toString().split('\n').filter(Boolean));
        done();
      },
    });
    const mailer = new NodemailerMailer(
      undefined,
      'Loyalty <hello@loyalty.test>',
      createLogger('auth', 'info', sink),
    );
    const { messageId } = await mailer.send({
      to: 'ana@example.com',
      subject: 'Welcome',
      text: 'Hello Ana,',
    });
    expect(messageId).toEqual(expect.any(String));
    await new Promise((r) => setImmediate(r));
    const logged = lines.map((l) => JSON.parse(l)).find((l) => l.msg.startsWith('mail'));
    expect(logged).toMatchObject({
      app: 'auth',
      level: 'info',
      msg: 'mail (no SMTP_URL: logged, not sent)',
      mail: {
        from: { address: 'hello@loyalty.test', name: 'Loyalty' },
        to: [{ address: 'ana@example.com', name: '' }],
        subject: 'Welcome',
        text: 'Hello Ana,',
      },
    });
  });
});
