//! Wraps every accepted connection (after TLS, when there is TLS) in
//! `agora_dav::target_guard::Guarded`, so that fragments in request targets are
//! refused instead of silently dropped by the URI parser.

use std::future::Future;
use std::io;
use std::pin::Pin;

use agora_dav::target_guard::Guarded;
use axum_server::accept::Accept;

/// An acceptor that guards the streams another acceptor produces.
#[derive(Clone, Debug)]
pub struct GuardAcceptor<A>(pub A);

impl<I, S, A> Accept<I, S> for GuardAcceptor<A>
where
    A: Accept<I, S>,
    A::Future: Send + 'static,
    A::Stream: Send + 'static,
    A::Service: Send + 'static,
{
    type Stream = Guarded<A::Stream>;
    type Service = A::Service;
    type Future = Pin<Box<dyn Future<Output = io::Result<(Self::Stream, Self::Service)>> + Send>>;

    fn accept(&self, stream: I, service: S) -> Self::Future {
        let inner = self.0.accept(stream, service);
        Box::pin(async move {
            let (stream, service) = inner.await?;
            Ok((Guarded::new(stream), service))
        })
    }
}
