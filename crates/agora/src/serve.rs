//! `agora serve`: wiring only — settings → store → core → HTTP listener.

use std::io::Write;
use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;

use agora_core::{Core, CoreConfig};
use agora_dav::AppState;
use axum_server::Handle;
use metrics_exporter_prometheus::PrometheusBuilder;

use crate::acceptor::GuardAcceptor;
use crate::exit::Failure;
use crate::settings::{ServeSettings, Settings};

/// Runs the server until SIGINT or SIGTERM, then drains and closes the store.
pub async fn run(settings: &Settings, serve: ServeSettings) -> Result<(), Failure> {
    let metrics = PrometheusBuilder::new()
        .set_buckets(agora_dav::metric_buckets())
        .and_then(|b| b.install_recorder())
        .map_err(|e| Failure::io(format!("cannot install the metrics recorder: {e}")))?;

    let store = agora_store::open(settings.store.as_deref(), &settings.data_dir, settings.sqlite_sync).await?;
    tracing::info!(backend = store.backend(), "store opened");
    let external = serve.ldap.clone().map(|c| {
        tracing::info!(url = %c.url, base = %c.base_dn, "LDAP directory configured");
        Arc::new(crate::ldap::Ldap::new(c)) as Arc<dyn agora_core::external::ExternalDirectory>
    });
    let core = Arc::new(Core::with_external(
        store,
        CoreConfig {
            auth: serve.auth.clone(),
            max_resource_size: serve.max_resource_size,
            user_quota_bytes: serve.user_quota_bytes,
        },
        external,
    ));

    if serve.initial_admin
        && let Some(password) = core.directory().ensure_initial_admin().await?
    {
        print_initial_admin(&password);
    }

    tokio::spawn(crate::refresh::run(core.clone(), serve.refresh, serve.feeds_allow_private));

    // Bind before announcing, so that a taken port is a clear start-up error.
    let listener =
        TcpListener::bind(serve.listen).map_err(|e| Failure::io(format!("cannot listen on {}: {e}", serve.listen)))?;
    listener.set_nonblocking(true).map_err(|e| Failure::io(e.to_string()))?;
    let app = agora_dav::router(AppState {
        core: core.clone(),
        metrics: Some(metrics),
        trusted_proxies: Arc::new(serve.trusted_proxies.clone()),
        limits: Arc::new(serve.limits.clone()),
    })
    .into_make_service_with_connect_info::<SocketAddr>();

    let handle = Handle::new();
    tokio::spawn(shutdown_on_signal(handle.clone(), serve.shutdown_grace));

    let scheme = if serve.tls.is_some() { "https" } else { "http" };
    tracing::info!(address = %serve.listen, scheme, "listening");
    let served = match &serve.tls {
        Some((cert, key)) => {
            let _ = rustls::crypto::ring::default_provider().install_default();
            let tls = axum_server::tls_rustls::RustlsConfig::from_pem_file(cert, key).await.map_err(|e| {
                Failure::io(format!("cannot load TLS certificate {} / key {}: {e}", cert.display(), key.display()))
            })?;
            axum_server::from_tcp_rustls(listener, tls).map(GuardAcceptor).handle(handle).serve(app).await
        }
        None => axum_server::from_tcp(listener).map(GuardAcceptor).handle(handle).serve(app).await,
    };
    core.close().await;
    tracing::info!("stopped");
    served.map_err(|e| Failure::io(format!("server error: {e}")))
}

fn print_initial_admin(password: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(
        out,
        "Created the first account.\n  login:    admin\n  password: {password}\n\
         This password is shown only once. Change it with `agora user passwd admin`."
    );
    let _ = out.flush();
}

async fn shutdown_on_signal(handle: Handle, grace: std::time::Duration) {
    use tokio::signal::unix::{SignalKind, signal};
    let mut term = signal(SignalKind::terminate()).expect("SIGTERM handler");
    tokio::select! {
        _ = tokio::signal::ctrl_c() => tracing::info!("SIGINT: shutting down"),
        _ = term.recv() => tracing::info!("SIGTERM: shutting down"),
    }
    // Stop accepting; in-flight requests get `grace` to finish.
    handle.graceful_shutdown(Some(grace));
}
