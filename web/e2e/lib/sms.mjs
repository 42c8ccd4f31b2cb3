// What the local SMS centre received (its control port: GET /messages).
import { SMSC_CONTROL, TIMEOUT_MS } from './config.mjs';

/**
 * The texts sent to `phone` so far, oldest first.
 * @param {string} phone
 * @returns {Promise<string[]>}
 */
export async function textsTo(phone) {
  const response = await fetch(`${SMSC_CONTROL}/messages`);
  if (!response.ok) throw new Error(`the SMS centre answered ${response.status}`);
  /** @type {{ to: string; text: string }[]} */
  const messages = await response.json();
  return messages.filter((m) => m.to === phone).map((m) => m.text);
}

/**
 * Waits for the `count`-th SMS to `phone` and returns the six-digit code in it.
 * @param {string} phone
 * @param {number} [count]
 */
export async function codeSentTo(phone, count = 1) {
  const deadline = Date.now() + TIMEOUT_MS;
  for (;;) {
    const texts = await textsTo(phone);
    if (texts.length >= count) {
      const code = texts[count - 1].match(/\b\d{6}\b/);
      if (!code) throw new Error(`no code in ${JSON.stringify(texts[count - 1])}`);
      return code[0];
    }
    if (Date.now() > deadline) throw new Error(`no SMS to ${phone} within ${TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
