//! Stopping on SIGTERM or SIGINT: the signals the service stops on, taken over from their
//! default action (ending the process at once) when the service starts, so that a stop lets the
//! requests in flight finish (`Application::run_until_signalled`, docs/DEPLOYMENT.md,
//! "Shutdown"). A second signal during the grace period ends the process at once.

use std::io;

#[cfg(unix)]
use tokio::signal::unix::{signal, Signal, SignalKind};

/// The stop signals, caught from the moment [`StopSignals::install`] returns.
pub struct StopSignals {
    #[cfg(unix)]
    terminate: Signal,
    #[cfg(unix)]
    interrupt: Signal,
}

impl StopSignals {
    /// Catches SIGTERM and SIGINT from now on (call it before announcing that the service
    /// listens, so that no early signal is lost). Needs a Tokio runtime.
    pub fn install() -> io::Result<StopSignals> {
        #[cfg(unix)]
        return Ok(StopSignals {
            terminate: signal(SignalKind::terminate())?,
            interrupt: signal(SignalKind::interrupt())?,
        });
        #[cfg(not(unix))]
        Ok(StopSignals {})
    }

    /// Waits for the next stop signal and names it.
    pub async fn next(&mut self) -> &'static str {
        #[cfg(unix)]
        return tokio::select! {
            _ = self.terminate.recv() => "SIGTERM",
            _ = self.interrupt.recv() => "SIGINT",
        };
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
            "Ctrl-C"
        }
    }
}
