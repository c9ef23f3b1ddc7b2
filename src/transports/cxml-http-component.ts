/** The cXML HTTPS transport as a gateway component: registers ctx.outbound['cxml-http'] when the gateway is ready. */
import type { Component } from '../gateway.ts';
import { cxmlHttpTransport, type CxmlHttpOptions } from './cxml-http.ts';

export function cxmlHttpComponent(options: CxmlHttpOptions = {}): Component {
  return {
    name: 'cxml-http',
    start: async (ctx) => {
      ctx.outbound['cxml-http'] = cxmlHttpTransport(options);
    },
    stop: async () => undefined,
  };
}
