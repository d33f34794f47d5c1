/**
 * `node-disk-pressure`: one Pod on the target Node fills the Node's root filesystem (a debug log level
 * left on, a crash-dump loop, writes to a hostPath) until `nodefs.available` falls under the kubelet's
 * hard threshold (10 %; the images share the disk, so `imagefs.available<15%` is met from 85 % used),
 * or, with `fill: inodes`, creates millions of tiny files until `nodefs.inodesFree` falls under 5 %. The
 * kubelet's eviction manager (shared/sim/controllers/eviction.ts) sets `DiskPressure=True`, the taint
 * `node.kubernetes.io/disk-pressure:NoSchedule` keeps new Pods away, and every 10 s it first deletes
 * the Node's unused images (`staleImages`: what older releases left there) and, when that is not
 * enough, evicts one Pod (use over requests, priority, then name): killed at once, left as a Failed
 * `Evicted` Pod, replaced by its ReplicaSet on another Node. The image garbage collector (every 5 min,
 * from 85 % use down to 80 %) reports `FreeDiskSpaceFailed` when the unused images are not enough,
 * `ImageGCFailed` when that happens twice in a row. The condition clears 300 s (pressure transition
 * period) after the disk is back above the thresholds (W concepts/scheduling-eviction/node-pressure-eviction.md;
 * kubernetes-behaviour.md §3, §10).
 *
 * Simplification (the eviction manager's): the kubelet does not attribute the filler's files to it (as
 * for a hostPath), so the ranking sees it like any other Pod; the files go with the Pod once it is
 * deleted or evicted (as an emptyDir's would), and its replacement starts clean.
 *
 * Params (schema and defaults: {@link nodeDiskPressure}`.params`): `pod` (the filler, a Pod on the Node;
 * absent: the Node's last workload Pod by name, which the kubelet's ranking reaches last),
 * `capacityGiB` (root filesystem size, 100), `imagesGiB` (system files and data besides the images the
 * Node lists, 30), `usedPercent` (how full the filler makes the disk, or its inodes, at the start, 96),
 * `fill` (`space` or `inodes`), `staleImages` (unused images on the Node, 0) of `staleImageMiB` (1500).
 *
 * Fix: find and delete the filler (`kubectl delete pod <pod>`), or `kubectl drain <node>` (which
 * evicts it too). Mitigated when the disk is back above the thresholds and every Deployment that had
 * Pods on the Node is fully available.
 */
import { z } from 'zod';
import type { IncidentState, SimState } from '../types.ts';
import { defineIncident } from './module.ts';
import { dnsLabel } from './params.ts';
import { INODES_PER_MIB, POD_DISK_MIB, POD_INODES, USED_INODES_PER_MIB, activePodsOn, addStaleImages, deploymentsAvailable, deploymentsOf, evictablePodsOn, initialImageRecords, nodeImagesMiB, pressureRelieved, setNodePressure, stringList } from './node-pressure.ts';
import { nodeTarget } from './targets.ts';

/** Size of one of the filler's tiny files under `fill: inodes`, KiB (one filesystem block). */
const TINY_FILE_KIB = 4;
/** Sim seconds between the last uses of two stale images (the oldest first), and the newest's age. */
const STALE_SPACING_SECONDS = 3600;

/** The `node-disk-pressure` incident (see the module doc). */
export const nodeDiskPressure = defineIncident({
  kind: 'node-disk-pressure',
  params: z.strictObject({
    pod: dnsLabel().optional().describe("The Pod (name, on the Node) that fills the disk; absent: the Node's last workload Pod by name."),
    capacityGiB: z.number().gt(0).default(100).describe("Size of the Node's root filesystem, GiB."),
    imagesGiB: z.number().min(0).default(30).describe("Space taken by system files and data besides the images the Node lists (status.images), GiB."),
    usedPercent: z.number().gt(80).max(100).default(96).describe('How full the filler makes the disk (fill: space) or its inodes (fill: inodes) at the start, percent (thresholds: 85 % used for imagefs.available<15%, 90 % for nodefs.available<10%, 95 % of the inodes for nodefs.inodesFree<5%).'),
    fill: z.enum(['space', 'inodes']).default('space').describe('What the filler exhausts: disk space (big files) or inodes (millions of tiny files).'),
    staleImages: z.number().int().min(0).max(40).default(0).describe('Unused images older releases left on the Node (the image garbage collector deletes them first).'),
    staleImageMiB: z.number().gt(0).default(1500).describe('Size of each stale image, MiB.'),
  }),
  target: nodeTarget,
  title: (spec) => `Node ${spec.target} under disk pressure`,
  describe: () => 'the node\'s disk is filling up',
  symptoms: [
    'kubectl describe node shows DiskPressure True (KubeletHasDiskPressure) and the taint node.kubernetes.io/disk-pressure:NoSchedule',
    'the kubelet deletes the node\'s unused images first (they leave status.images: kubectl get node -o yaml), then every ~10 s evicts one of the node\'s pods: kubectl get pods shows them Evicted, 0/1',
    'kubectl get events shows EvictionThresholdMet "Attempting to reclaim ephemeral-storage" (or inodes), Evicted "The node was low on resource: ephemeral-storage. ...", and every 5 min FreeDiskSpaceFailed / ImageGCFailed while the images are not enough',
    'requests fail while evicted replicas are replaced; the condition clears only 300 s after the disk recovered',
  ],
  remediations: [
    { summary: 'Delete the pod filling the disk: its files go with it', command: 'kubectl delete pod <pod>' },
    { summary: 'Or drain the node (evicts the filler too) and keep new pods off it', command: 'kubectl drain <node> --ignore-daemonsets --delete-emptydir-data' },
  ],
  start(state: SimState, inc: IncidentState, { params, target: { name, node } }) {
    if (!node.sim.kubeletUp) return { ok: false, retry: false, error: `node ${name} is down` };
    const pods = evictablePodsOn(state, name);
    let filler: string | undefined;
    if (params.pod !== undefined) {
      filler = pods.find((k) => state.pods[k]!.metadata.name === params.pod);
      if (filler === undefined) return { ok: false, retry: false, error: `pod ${params.pod} is not running on node ${name}` };
    } else {
      filler = pods[pods.length - 1];
      if (filler === undefined) return { ok: false, retry: false, error: `node ${name} runs no workload pod to fill its disk` };
    }
    const stale = Array.from({ length: params.staleImages }, (_, i) => ({ name: `shop/old-release:v${i + 1}`, sizeMiB: params.staleImageMiB, lastUsed: state.t - STALE_SPACING_SECONDS * (params.staleImages - i) }));
    addStaleImages(state, name, stale);
    const capacityMiB = params.capacityGiB * 1024;
    const systemMiB = params.imagesGiB * 1024;
    const staticMiB = systemMiB + nodeImagesMiB(state, name);
    const active = activePodsOn(state, name).length; // every active Pod's logs and writable layer
    let fillerMiB: number;
    let fillerInodes: number;
    if (params.fill === 'inodes') {
      const inodes = capacityMiB * INODES_PER_MIB;
      fillerInodes = Math.max(0, Math.round(inodes * (params.usedPercent / 100) - staticMiB * USED_INODES_PER_MIB - active * POD_INODES));
      fillerMiB = Math.round((fillerInodes * TINY_FILE_KIB) / 1024);
    } else {
      fillerMiB = Math.max(0, Math.round(capacityMiB * (params.usedPercent / 100) - staticMiB - active * POD_DISK_MIB));
      fillerInodes = 100; // a few big files
    }
    setNodePressure(state, name, { disk: { capacityMiB, systemMiB, filler, fillerMiB, fillerInodes, lastBelowAt: null, images: initialImageRecords(state, name, stale), gcFailed: false } });
    inc.data['node'] = name;
    inc.data['filler'] = filler;
    inc.data['fillerMiB'] = fillerMiB;
    if (params.fill === 'inodes') inc.data['fillerInodes'] = fillerInodes;
    inc.data['pods'] = pods;
    inc.data['deployments'] = deploymentsOf(state, pods);
    return { ok: true };
  },
  isMitigated(state: SimState, inc: IncidentState): boolean {
    const name = inc.spec.target;
    if (!state.nodes[name]) return true;
    if (!deploymentsAvailable(state, stringList(inc.data['deployments']))) return false;
    return pressureRelieved(state, name, 'disk');
  },
});
