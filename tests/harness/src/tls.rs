//! TLS for a loopback server, so that a browser may speak HTTP/2 to it:
//! browsers offer HTTP/2 only over TLS, chosen through ALPN. OpenAI serves
//! its API that way, and over one HTTP/2 connection a page's requests are
//! not queued behind the six connections a browser opens per host on
//! HTTP/1.1.
//!
//! The certificate is made afresh at each start and signed by itself; the
//! browser under test is told to accept it
//! (`--ignore-certificate-errors`). It names 127.0.0.1 only.

use std::io;
use std::sync::Arc;

use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::ServerConfig;

/// A server configuration with a new self-signed certificate for
/// 127.0.0.1 that offers HTTP/2 first and HTTP/1.1 after it.
pub(crate) fn loopback_config() -> io::Result<Arc<ServerConfig>> {
    let certified =
        rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_owned()])
            .map_err(io::Error::other)?;
    let certificate: CertificateDer<'static> = certified.cert.der().clone();
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(
        certified.key_pair.serialize_der(),
    ));
    // rustls would rather have aws-lc-rs, for post-quantum key exchange;
    // a test server on loopback has no use for it, and ring builds with
    // only a C compiler.
    #[allow(deprecated)]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(io::Error::other)?
        .with_no_client_auth()
        .with_single_cert(vec![certificate], key)
        .map_err(io::Error::other)?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}
