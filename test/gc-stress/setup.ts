/**
 * Runs V8's full garbage collection every few milliseconds in each test worker (`npm run
 * test:gc-stress`). Arrays a test drops without disposing are then collected at almost every await, so
 * a test whose counts of live arrays or buffers depend on when the collector runs fails here at once,
 * instead of now and then in CI.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const INTERVAL_MS = 2;

setFlagsFromString('--expose-gc');
// gc() exists in contexts created after the flag is set.
const collect = runInNewContext('gc') as () => void;
setInterval(collect, INTERVAL_MS).unref();
