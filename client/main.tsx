import '@fontsource/be-vietnam-pro/vietnamese-400.css';
import '@fontsource/be-vietnam-pro/latin-400.css';
import '@fontsource/be-vietnam-pro/vietnamese-600.css';
import '@fontsource/be-vietnam-pro/latin-600.css';
import '@fontsource/be-vietnam-pro/vietnamese-800.css';
import '@fontsource/be-vietnam-pro/latin-800.css';
import './styles.css';
import { render } from 'solid-js/web';
import { langFromSearch } from './i18n/make-translator';
import { makeI18n } from './i18n/wall';
import { WallScene } from './scenes/WallScene';
import { installServedRegistry } from './map/wards-source';
import { createLiveStore } from './stores/live-store';
import { replayFromSearch } from './stores/replay-clock';

function App() {
  const i18n = makeI18n(langFromSearch(window.location.search));
  document.documentElement.lang = i18n.lang;
  // `?at=<moment>&speed=<×>` opens the wall on a past moment (issue 20); without `at` it is live.
  const asked = replayFromSearch(window.location.search);
  // Same origin as the page: the express server serves the wall, the API and the socket.
  const live = createLiveStore(undefined, asked?.ok ? { replay: { at: asked.at, speed: asked.speed } } : {});
  return <WallScene i18n={i18n} live={live} addressError={asked && !asked.ok ? asked.message : null} />;
}

const root = document.getElementById('root');
if (!root) throw new Error('#root missing from index.html');

// One build, three pages (the server answers /console and /briefing with this same index.html).
// The console and the briefing load as their own chunks, so the wall downloads neither. Each waits
// for the units served (GET /api/v1/wards, a few hundred kB): their names, centres and lists are
// the province's (IOC_PROVINCE), not the bundled Huế's, from the first paint.
const path = window.location.pathname.replace(/\/+$/, '');
void installServedRegistry().then((wards) => {
  if (path === '/console') {
    void import('./console/mount').then(({ mountConsole }) => mountConsole(root));
  } else if (path === '/briefing') {
    void import('./briefing/mount').then(({ mountBriefing }) => mountBriefing(root));
  } else {
    if (wards?.province) document.title = `IOC Wall — ${wards.province.name}`;
    render(() => <App />, root);
  }
});
