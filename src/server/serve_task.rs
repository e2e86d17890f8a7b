//! A router served on a Tokio task until it is stopped or its handle dropped: how the
//! embedded server and `scimsim record`'s proxy run.

use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// A router being served. Dropping it stops the serving (without waiting for it), as
/// [`ServeTask::stop`] does.
#[derive(Debug)]
pub(crate) struct ServeTask {
    stop: oneshot::Sender<()>,
    task: JoinHandle<std::io::Result<()>>,
}

impl ServeTask {
    /// Serves `app` on `listener` until stopped or dropped.
    pub(crate) fn spawn(listener: TcpListener, app: Router) -> Self {
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    // Either an explicit stop or the handle being dropped ends the serving.
                    let _ = stopped.await;
                })
                .await
        });
        Self { stop, task }
    }

    /// Stops accepting connections, lets in-flight requests finish, and waits for the task.
    /// Returns the serving's I/O error, if it failed.
    pub(crate) async fn stop(self) -> std::io::Result<()> {
        let _ = self.stop.send(());
        self.task.await.unwrap_or_else(|e| Err(std::io::Error::other(e)))
    }
}
