//! Where a request comes from, for the per-address throttles.
//!
//! The peer address of the connection, unless that peer is one of the configured trusted proxies
//! (`APP_TRUSTED_PROXIES`): then `X-Forwarded-For` is read from the right, skipping trusted
//! proxies, and the first address that is not one is the client. Without a trusted peer the
//! header is ignored: anybody can write it.

use std::net::IpAddr;

use actix_web::{FromRequest, HttpRequest, dev::Payload, web};
use domain::throttle::ClientKey;
use ipnet::IpNet;

use crate::state::AppState;

/// The client's address, as the throttles count it.
#[derive(Debug, Clone)]
pub struct ClientAddress(pub ClientKey);

impl FromRequest for ClientAddress {
    type Error = actix_web::Error;
    type Future = std::future::Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let trusted = req
            .app_data::<web::Data<AppState>>()
            .map(|state| state.config.trusted_proxies.as_slice())
            .unwrap_or_default();
        let forwarded = req
            .headers()
            .get_all("x-forwarded-for")
            .filter_map(|value| value.to_str().ok())
            .collect::<Vec<_>>()
            .join(",");
        let peer = req
            .peer_addr()
            .map_or(IpAddr::from([0, 0, 0, 0]), |peer| peer.ip());
        std::future::ready(Ok(Self(ClientKey::new(client_address(
            peer, &forwarded, trusted,
        )))))
    }
}

/// The client behind `peer`, given the `X-Forwarded-For` list and the trusted proxies.
pub fn client_address(peer: IpAddr, forwarded_for: &str, trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    let mut client = peer;
    for hop in forwarded_for.rsplit(',') {
        let Ok(ip) = hop.trim().parse::<IpAddr>() else {
            // A hop that is no address: nothing before it can be trusted either.
            break;
        };
        client = ip;
        if !is_trusted(&ip) {
            break;
        }
    }
    client
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proxies::parse_trusted;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn the_header_counts_only_from_a_trusted_peer() {
        let trusted = parse_trusted("127.0.0.1, 10.0.0.0/8").unwrap();
        // An untrusted peer's header is ignored.
        assert_eq!(
            client_address(ip("203.0.113.5"), "198.51.100.1", &trusted),
            ip("203.0.113.5")
        );
        // A trusted peer: the rightmost untrusted hop, whatever the client wrote before it.
        assert_eq!(
            client_address(ip("127.0.0.1"), "1.1.1.1, 198.51.100.1, 10.0.0.2", &trusted),
            ip("198.51.100.1")
        );
        // No header: the proxy itself.
        assert_eq!(
            client_address(ip("127.0.0.1"), "", &trusted),
            ip("127.0.0.1")
        );
        // Garbage stops the walk at the last good hop.
        assert_eq!(
            client_address(ip("127.0.0.1"), "1.1.1.1, junk", &trusted),
            ip("127.0.0.1")
        );
        assert!(parse_trusted("not-an-ip").is_err());
        assert_eq!(
            client_address(ip("127.0.0.1"), "198.51.100.1", &[]),
            ip("127.0.0.1")
        );
    }
}
