//! `agora serve`: wiring only — settings → store → core → HTTP listener (DAV
//! with the web interface in front, on the same port), plus
//! the background tasks: the refresh, the mail worker (when a relay is set) and
//! the LMTP server (when `lmtp_listen` is set).

use std::io::Write;
use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;

use agora_core::subscriptions::address::FeedPolicy;
use agora_core::{Core, CoreConfig};
use agora_dav::AppState;
use axum_server::Handle;
use metrics_exporter_prometheus::PrometheusBuilder;
use tokio::sync::watch;

use crate::acceptor::GuardAcceptor;
use crate::exit::Failure;
use crate::secret::Secret;
use crate::settings::{ServeSettings, Settings};

/// Runs the server until SIGINT or SIGTERM, then drains and closes the store.
pub async fn run(settings: &Settings, serve: ServeSettings) -> Result<(), Failure> {
    let metrics = PrometheusBuilder::new()
        .set_buckets(agora_dav::metric_buckets())
        .and_then(|b| b.install_recorder())
        .map_err(|e| Failure::io(format!("cannot install the metrics recorder: {e}")))?;

    // A relay the transport refuses (user name without password…) is a start-up
    // error, not a stream of failed messages later.
    let relay = match &serve.mail.relay {
        Some(config) => {
            let relay = agora_imip::smtp::Relay::new(config)
                .map_err(|e| Failure::usage(format!("SMTP relay {}: {e}", config.host)))?;
            tracing::info!(relay = %config.host, port = config.port, security = ?config.security, "iMIP: outgoing mail through the relay");
            Some(relay)
        }
        None => {
            tracing::info!("iMIP: no SMTP relay configured, external attendees are not mailed");
            None
        }
    };

    // Everything that can refuse to start is checked before the first account
    // is created: a taken port or a bad certificate must not leave an `admin`
    // whose password was printed by a server that then exited.
    let listener =
        TcpListener::bind(serve.listen).map_err(|e| Failure::io(format!("cannot listen on {}: {e}", serve.listen)))?;
    listener.set_nonblocking(true).map_err(|e| Failure::io(e.to_string()))?;
    let lmtp_listener = match serve.lmtp_listen {
        Some(address) => Some((
            address,
            tokio::net::TcpListener::bind(address)
                .await
                .map_err(|e| Failure::io(format!("cannot listen for LMTP on {address}: {e}")))?,
        )),
        None => None,
    };
    let tls = match &serve.tls {
        Some((cert, key)) => {
            let _ = rustls::crypto::ring::default_provider().install_default();
            Some(axum_server::tls_rustls::RustlsConfig::from_pem_file(cert, key).await.map_err(|e| {
                Failure::io(format!("cannot load TLS certificate {} / key {}: {e}", cert.display(), key.display()))
            })?)
        }
        None => None,
    };

    // Held while the server runs: `agora restore` refuses to replace the file.
    let _db_lock = match agora_store::maintenance::Location::resolve(
        settings.store.as_ref().map(Secret::expose),
        &settings.data_dir,
    )? {
        agora_store::maintenance::Location::Sqlite(db) => Some(crate::db_lock::DbLock::shared(&db)?),
        agora_store::maintenance::Location::Postgres(_) => None,
    };
    let store =
        agora_store::open(settings.store.as_ref().map(Secret::expose), &settings.data_dir, settings.sqlite_sync)
            .await?;
    tracing::info!(backend = store.backend(), "store opened");
    // A server often starts after a bulk load (an upgrade, an import): plan with
    // current statistics rather than wait for autovacuum.
    let stats = store.clone();
    tokio::spawn(async move {
        if let Err(e) = stats.refresh_statistics().await {
            tracing::warn!(error = %e, "planner statistics not refreshed");
        }
    });
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
            imip: serve.mail.imip.clone(),
            sessions: serve.sessions.clone(),
            feeds: FeedPolicy { allow_private: serve.feeds_allow_private, pinned: serve.feeds_resolve.clone() },
            default_language: serve.language,
            records: serve.records.clone(),
        },
        external,
    ));
    // Objects stored before CLASS was read from their parsed form (migration
    // 0017) are hidden from readers until classified: do it before serving.
    let classified = core.classify_objects().await?;
    if classified > 0 {
        tracing::info!(objects = classified, "calendar objects classified");
    }

    if serve.initial_admin
        && let Some(password) = core.directory().ensure_initial_admin().await?
    {
        print_initial_admin(&password);
    }

    // The policy subscriptions were created under.
    let policy = &core.config().feeds;
    let feeds = crate::feeds::Fetcher::new(policy.allow_private, policy.pinned.clone());
    tokio::spawn(crate::refresh::run(core.clone(), serve.refresh, feeds));

    // Mail and LMTP stop at the signal, finishing what they are doing, and are
    // waited for before the store closes.
    let (stop, stopped) = watch::channel(false);
    let mut background = Vec::new();
    if let Some(relay) = relay {
        let retry = crate::mail::Retry { base: serve.mail_retry_base, max_attempts: serve.mail.max_attempts };
        background.push(tokio::spawn(crate::mail::run(core.clone(), relay, retry, stopped.clone())));
    }
    if let Some((address, lmtp)) = lmtp_listener {
        let mut stopped = stopped.clone();
        let shutdown = async move {
            let _ = stopped.wait_for(|s| *s).await;
        };
        tracing::info!(%address, "LMTP listening");
        background.push(tokio::spawn(crate::lmtp::serve(core.clone(), lmtp, serve.mail.host_name.clone(), shutdown)));
    }
    let state = AppState {
        core: core.clone(),
        metrics: Some(metrics),
        trusted_proxies: Arc::new(serve.trusted_proxies.clone()),
        limits: Arc::new(serve.limits.clone()),
    };
    let web = agora_web::WebConfig { tls: serve.tls.is_some(), oidc: serve.oidc.clone() };
    let app = agora_dav::router_with(state.clone(), |dav| agora_web::mount(dav, state, web))
        .into_make_service_with_connect_info::<SocketAddr>();

    let handle = Handle::new();
    let stop = Arc::new(stop);
    tokio::spawn(shutdown_on_signal(handle.clone(), serve.shutdown_grace, stop.clone()));

    let scheme = if serve.tls.is_some() { "https" } else { "http" };
    tracing::info!(address = %serve.listen, scheme, "listening");
    let served = match tls {
        Some(tls) => axum_server::from_tcp_rustls(listener, tls).map(GuardAcceptor).handle(handle).serve(app).await,
        None => axum_server::from_tcp(listener).map(GuardAcceptor).handle(handle).serve(app).await,
    };
    stop.send_replace(true);
    // A relay or an LMTP client that hangs must not hold the exit forever.
    let deadline = tokio::time::Instant::now() + serve.shutdown_grace;
    for task in background {
        if tokio::time::timeout_at(deadline, task).await.is_err() {
            tracing::warn!("a mail task did not stop within the shutdown grace period");
        }
    }
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

async fn shutdown_on_signal(handle: Handle, grace: std::time::Duration, stop: Arc<watch::Sender<bool>>) {
    use tokio::signal::unix::{SignalKind, signal};
    let mut term = signal(SignalKind::terminate()).expect("SIGTERM handler");
    tokio::select! {
        _ = tokio::signal::ctrl_c() => tracing::info!("SIGINT: shutting down"),
        _ = term.recv() => tracing::info!("SIGTERM: shutting down"),
    }
    // Stop accepting; in-flight requests get `grace` to finish.
    handle.graceful_shutdown(Some(grace));
    stop.send_replace(true);
}
