/** What runs beside the job workers once the gateway is ready: the explicit list. */
import type { Component } from './gateway.ts';
import { sftpComponent } from './transports/sftp/index.ts';
import { cxmlHttpComponent } from './transports/cxml-http-component.ts';

export function defaultComponents(): Component[] {
  return [sftpComponent(), cxmlHttpComponent()];
}
