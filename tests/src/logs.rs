//! The service's log output, captured: the test process's global `tracing` subscriber, at
//! `info` (so every request's line is in), writing into memory, and to stderr as well when
//! `TEST_LOG` is set (otherwise a test run prints no log). Installed by the first test that asks
//! (or by the first service started, with `TEST_LOG`); every service the test process runs from
//! then on logs into it.

use std::io;
use std::sync::{Mutex, OnceLock};

/// What is kept at most; older output is dropped (other tests keep logging too).
const MAX_BYTES: usize = 64 << 20;

static BUFFER: Mutex<Vec<u8>> = Mutex::new(Vec::new());
static INSTALLED: OnceLock<bool> = OnceLock::new();

struct Sink;

impl io::Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut buffer = BUFFER.lock().unwrap_or_else(|e| e.into_inner());
        if buffer.len() + buf.len() > MAX_BYTES {
            let drop = (buffer.len() + buf.len() - MAX_BYTES).min(buffer.len());
            buffer.drain(..drop);
        }
        buffer.extend_from_slice(buf);
        if printing() {
            io::stderr().write_all(buf)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Whether the log is printed too (`TEST_LOG` is set).
pub fn printing() -> bool {
    static PRINTING: OnceLock<bool> = OnceLock::new();
    *PRINTING.get_or_init(|| std::env::var_os("TEST_LOG").is_some())
}

/// Starts capturing (once per process); `false` if another global subscriber was there first.
pub fn capture() -> bool {
    *INSTALLED.get_or_init(|| {
        use tracing_subscriber::util::SubscriberInitExt;
        tracing_subscriber::fmt()
            .with_max_level(tracing_subscriber::filter::LevelFilter::INFO)
            .with_ansi(false)
            .with_writer(|| Sink)
            .finish()
            .try_init()
            .is_ok()
    })
}

/// Everything captured so far.
pub fn text() -> String {
    String::from_utf8_lossy(&BUFFER.lock().unwrap_or_else(|e| e.into_inner())).into_owned()
}
