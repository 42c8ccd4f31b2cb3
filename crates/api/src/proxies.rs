//! The trusted reverse proxies (`APP_TRUSTED_PROXIES`), as settings name them: a leaf that both
//! the settings and the client-address extractor read.

/// Parses `APP_TRUSTED_PROXIES`: addresses or networks (`10.0.0.0/8`), comma-separated.
pub fn parse_trusted(list: &str) -> Result<Vec<ipnet::IpNet>, String> {
    list.split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(|item| {
            item.parse::<ipnet::IpNet>()
                .or_else(|_| item.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                .map_err(|_| item.to_owned())
        })
        .collect()
}
