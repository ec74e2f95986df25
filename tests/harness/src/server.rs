//! Running an axum router on a loopback port as a background task that
//! stops when its handle is dropped, so a failing test never leaves a
//! server behind.

use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use std::sync::Arc;

use axum::Router;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use hyper_util::service::TowerToHyperService;
use rustls::ServerConfig;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::{JoinHandle, JoinSet};
use tokio_rustls::TlsAcceptor;

/// How long a shutdown waits for open requests before cutting them off.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// A server task and the means to stop it.
#[derive(Debug)]
pub(crate) struct Running {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

/// Binds 127.0.0.1 (never another interface): `port` 0 picks a free one.
pub(crate) async fn bind(port: u16) -> io::Result<TcpListener> {
    TcpListener::bind((Ipv4Addr::LOCALHOST, port)).await
}

/// Serves `router` on `listener` until the returned handle says stop.
pub(crate) fn spawn(listener: TcpListener, router: Router) -> Running {
    let addr = listener
        .local_addr()
        .expect("a bound listener knows its address");
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let shutdown = async {
            // A dropped sender means the handle is gone: stop as well.
            let _ = stopped.await;
        };
        if let Err(error) = axum::serve(listener, router)
            .with_graceful_shutdown(shutdown)
            .await
        {
            eprintln!("harness server on {addr} failed: {error}");
        }
    });
    Running {
        addr,
        stop: Some(stop),
        task: Some(task),
    }
}

/// Serves `router` over TLS on `listener`, HTTP/2 or HTTP/1.1 as each
/// client chooses, until the returned handle says stop. Stopping closes
/// every open connection at once: clients of a test server have no
/// request worth finishing.
pub(crate) fn spawn_tls(
    listener: TcpListener,
    router: Router,
    tls: Arc<ServerConfig>,
) -> Running {
    let addr = listener
        .local_addr()
        .expect("a bound listener knows its address");
    let (stop, mut stopped) = oneshot::channel::<()>();
    let acceptor = TlsAcceptor::from(tls);
    let task = tokio::spawn(async move {
        let mut connections = JoinSet::new();
        loop {
            let accepted = tokio::select! {
                _ = &mut stopped => break,
                accepted = listener.accept() => accepted,
            };
            // A failed accept (the peer gave up) concerns that peer alone.
            let Ok((tcp, _)) = accepted else { continue };
            let acceptor = acceptor.clone();
            let service = TowerToHyperService::new(router.clone());
            connections.spawn(async move {
                // A client that refuses the certificate simply leaves.
                let Ok(stream) = acceptor.accept(tcp).await else {
                    return;
                };
                let _ = auto::Builder::new(TokioExecutor::new())
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
            // Reap finished connections so a long run does not pile up.
            while connections.try_join_next().is_some() {}
        }
        connections.shutdown().await;
    });
    Running {
        addr,
        stop: Some(stop),
        task: Some(task),
    }
}

impl Running {
    pub(crate) fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops accepting connections and waits for the task to end; a
    /// connection still busy after the grace period is cut off.
    pub(crate) async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(mut task) = self.task.take() {
            if tokio::time::timeout(SHUTDOWN_GRACE, &mut task)
                .await
                .is_err()
            {
                task.abort();
            }
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}
