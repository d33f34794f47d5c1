/**
 * The replay page (replay.html?match=ID): {@link ReplayPage} (DOM, ./ui/replay.ts) with the live
 * client's Phaser cluster map (./game/clusterScene.ts) showing the team at the chosen moment.
 */
import { createClusterGame } from './game/clusterScene.ts';
import { ReplayPage } from './ui/replay.ts';
import { byId } from './ui/dom.ts';
import { matchIdFromLocation } from './view/replay.ts';
import { momentFromLocation } from './view/debrief.ts';

const id = matchIdFromLocation(location.search, location.hash);
if (id === null) {
  const status = byId('replay-status');
  status.textContent = 'No match to replay: open this page from the end of a match or the leaderboard (replay.html?match=ID).';
  status.className = 'status error';
} else {
  let map: ReturnType<typeof createClusterGame> | null = null;
  const page = new ReplayPage(id, (team) => {
    map ??= createClusterGame(byId('replay-map'));
    map.scene.show(team, null);
  });
  (window as unknown as { __replay: unknown }).__replay = page.debug;
  // `&t=SECONDS` (a workshop debrief's link at a moment, issue 10): open the replay there.
  const moment = momentFromLocation(location.search);
  void page.load().then(() => {
    if (moment !== null) page.seek(moment);
  });
}
