/**
 * The real kubectl v1.32 the k8s tests run: `$KUBECTL` (what `.ci/run` finds or fetches), else the
 * Cloud SDK's pinned `kubectl.1.32`, else `kubectl` on the PATH. Not `/usr/bin/kubectl` when that is
 * the Cloud SDK dispatcher: it would pick the kubectl matching the server's version instead.
 */
import { existsSync } from 'node:fs';

const SDK_132 = '/usr/lib/google-cloud-sdk/bin/kubectl.1.32';

export const KUBECTL = process.env.KUBECTL && existsSync(process.env.KUBECTL) ? process.env.KUBECTL : existsSync(SDK_132) ? SDK_132 : '/usr/bin/kubectl';
