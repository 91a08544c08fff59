//! SIGINT and SIGTERM as a request to stop: what `rasd index` and the saved searches' runs
//! do with them, and the status they then end with.

use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::Result;
use signal_hook::consts::{SIGINT, SIGTERM};
use signal_hook::iterator::Signals;

/// A run stopped by a signal exits with 128 plus the signal's number, as a shell reports a
/// process killed by it: 130 for Ctrl-C (SIGINT), 143 for SIGTERM (systemd's stop).
pub fn interrupted_status(signal: usize) -> ExitCode {
    ExitCode::from(u8::try_from(128 + signal).unwrap_or(u8::MAX))
}

/// How long after a first signal a second one is the same request: `timeout(1)` signals the
/// process and then its process group, two SIGTERMs microseconds apart, which must not end the
/// run at once (probe 13: one `timeout` run in ten lost what it had read since its last commit).
const REPEAT_GRACE: Duration = Duration::from_millis(500);

/// Makes SIGINT and SIGTERM ask the run to stop: the first sets the returned flag (and
/// records which signal it was); another one, [`REPEAT_GRACE`] or more after it, ends the
/// process at once, with the status of [`interrupted_status`]. Nothing is lost then either:
/// tantivy commits are atomic, the next run removes what the writer left since the last
/// commit, and the folder's lock goes with the process. The signals are handled on a thread
/// of their own, where the time between them can be told.
pub fn stop_on_signals() -> Result<(Arc<AtomicBool>, Arc<AtomicUsize>)> {
    let stop = Arc::new(AtomicBool::new(false));
    let which = Arc::new(AtomicUsize::new(0));
    let mut signals = Signals::new([SIGINT, SIGTERM])?;
    let (flag, first) = (stop.clone(), which.clone());
    std::thread::spawn(move || {
        let mut first_at: Option<Instant> = None;
        for signal in signals.forever() {
            match first_at {
                None => {
                    first.store(signal as usize, Ordering::SeqCst);
                    flag.store(true, Ordering::SeqCst);
                    first_at = Some(Instant::now());
                }
                Some(at) if at.elapsed() >= REPEAT_GRACE => std::process::exit(128 + signal),
                Some(_) => {}
            }
        }
    });
    Ok((stop, which))
}
