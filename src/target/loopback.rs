//! Whether a URL stays on this machine: where plain `http://` is allowed without asking.

use std::net::IpAddr;

use reqwest::Url;

/// Whether `url`'s host is this machine: `localhost`, an address in 127.0.0.0/8, or `::1`
/// (also as the IPv4-mapped `::ffff:127.x.y.z`). A token sent over plain HTTP to such a host
/// never crosses a network, so scimsim allows it; to any other host it needs `--allow-http`.
pub fn is_loopback(url: &Url) -> bool {
    let Some(host) = url.host_str() else { return false };
    // The URL parser writes an IPv6 host in brackets.
    match host.trim_start_matches('[').trim_end_matches(']').parse::<IpAddr>() {
        Ok(address) => is_loopback_ip(address),
        Err(_) => host.trim_end_matches('.').eq_ignore_ascii_case("localhost"),
    }
}

/// Whether `address` is this machine: 127.0.0.0/8, `::1`, or `::ffff:127.x.y.z`. Where
/// `scimsim record` may listen without being told that the network can reach it.
pub fn is_loopback_ip(address: IpAddr) -> bool {
    match address {
        IpAddr::V4(address) => address.is_loopback(),
        IpAddr::V6(address) => {
            address.is_loopback() || address.to_ipv4_mapped().is_some_and(|mapped| mapped.is_loopback())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loopback(url: &str) -> bool {
        is_loopback(&Url::parse(url).unwrap())
    }

    #[test]
    fn only_this_machine_is_loopback() {
        for url in [
            "http://127.0.0.1:8080/scim",
            "http://127.3.2.1/",
            "http://[::1]:9/scim",
            "http://localhost/scim",
            "http://LOCALHOST./",
            "http://[::ffff:127.0.0.1]/",
        ] {
            assert!(loopback(url), "{url}");
        }
        for url in [
            "http://10.0.0.1/scim",
            "http://128.0.0.1/",
            "http://[::2]/",
            "http://localhost.example.com/",
            "http://example.com/",
            "http://0.0.0.0/",
        ] {
            assert!(!loopback(url), "{url}");
        }
        for ip in ["127.0.0.1", "127.9.9.9", "::1", "::ffff:127.0.0.1"] {
            assert!(is_loopback_ip(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["0.0.0.0", "::", "10.1.2.3", "::ffff:10.0.0.1"] {
            assert!(!is_loopback_ip(ip.parse().unwrap()), "{ip}");
        }
    }
}
