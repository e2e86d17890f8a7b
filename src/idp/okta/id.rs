//! Okta-shaped identifiers and the placeholder passwords Okta sends, derived from stable seeds
//! so that every run sends the same bytes and snapshots stay stable.

use crate::idp::directory::{ObjectKind, seed_hashes};

/// SplitMix64's finaliser over an FNV-1a hash, so that seeds differing in one digit give
/// unrelated values (FNV alone keeps its low bits in step with the input's).
fn mix(mut h: u64) -> u64 {
    h = (h ^ (h >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h = (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

/// The base-`alphabet` digits of a 128-bit hash of the seed made of `parts`, least
/// significant first: those at positions `range` are pushed to `out`.
fn push_digits(parts: &[&str], alphabet: &[u8], range: std::ops::Range<usize>, out: &mut String) {
    let (high, low) = seed_hashes(parts);
    let mut n = (u128::from(mix(high)) << 64) | u128::from(mix(low));
    let base = alphabet.len() as u64;
    // The digits come in chunks of as many as a u64 holds (10 in base 62, 12 in base 36): one
    // 128-bit division per chunk, then 64-bit ones for its digits, which are the same digits
    // as dividing the whole hash by the base each time (every user's id and password is
    // made of them, and a 128-bit division is a call to the compiler's runtime).
    let (mut chunk_base, mut chunk_digits) = (base, 1);
    while let Some(next) = chunk_base.checked_mul(base) {
        (chunk_base, chunk_digits) = (next, chunk_digits + 1);
    }
    let mut position = 0;
    while position < range.end {
        let mut chunk = u64::try_from(n % u128::from(chunk_base)).unwrap_or_default();
        n /= u128::from(chunk_base);
        for _ in 0..chunk_digits.min(range.end - position) {
            if position >= range.start {
                out.push(char::from(alphabet[usize::try_from(chunk % base).unwrap_or_default()]));
            }
            chunk /= base;
            position += 1;
        }
    }
}

/// `len` characters from `alphabet`: the digits of a 128-bit hash of `seed` in that base.
fn characters(seed: &str, alphabet: &[u8], len: usize) -> String {
    let mut out = String::with_capacity(len);
    push_digits(&[seed], alphabet, 0..len, &mut out);
    out
}

const BASE62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// Base62 characters after an Okta id's prefix.
const ID_DIGITS: usize = 17;

/// An Okta object id: a three-character prefix (`00u` users, `00g` groups) and 17 base62
/// characters, 20 in all, like `00ujl29u0le5T6Aj10h7` (REF20).
pub fn okta_id(prefix: &str, seed: &str) -> String {
    let mut id = String::with_capacity(prefix.len() + ID_DIGITS);
    id.push_str(prefix);
    push_digits(&[seed], BASE62, 0..ID_DIGITS, &mut id);
    id
}

/// How many leading characters of an Okta id are the same in every run (see
/// [`stable_object_id`]): the type prefix and eight base62 digits.
pub const OKTA_STABLE_CHARS: usize = 11;

/// The id of the Okta `kind` object whose id seed is `seed` (`user:<namespace><alias>`).
pub fn object_id(kind: ObjectKind, seed: &str) -> String {
    match kind {
        ObjectKind::User => okta_id("00u", seed),
        ObjectKind::Group => okta_id("00g", seed),
    }
}

/// The id of the Okta `kind` object `alias` in a directory whose id namespace is `namespace`:
/// its first [`OKTA_STABLE_CHARS`] as without a namespace, so objects sort (and Okta sends
/// them) in the same order in every run and snapshots stay stable; the rest from the
/// namespaced seed, so the id is unique to the run. Made from the seeds' parts, without the
/// seeds' strings or two whole ids (a load run adds thousands of users); a test checks it is
/// `Directory::object_id` of [`object_id`].
pub fn stable_object_id(kind: ObjectKind, namespace: &str, alias: &str) -> String {
    let prefix = match kind {
        ObjectKind::User => "00u",
        ObjectKind::Group => "00g",
    };
    let stable_digits = OKTA_STABLE_CHARS - prefix.len();
    let mut id = String::with_capacity(prefix.len() + ID_DIGITS);
    id.push_str(prefix);
    push_digits(&[kind.noun(), ":", alias], BASE62, 0..stable_digits, &mut id);
    push_digits(&[kind.noun(), ":", namespace, alias], BASE62, stable_digits..ID_DIGITS, &mut id);
    id
}

/// A random-looking password like REF20's `1mz050nq`: eight lower-case letters and digits.
/// Okta sends one on every create, even with password sync off (REF20).
pub fn placeholder_password(seed: &str) -> String {
    characters(seed, b"0123456789abcdefghijklmnopqrstuvwxyz", 8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_and_stability() {
        let id = okta_id("00u", "alice");
        assert_eq!(id.len(), 20);
        assert!(id.starts_with("00u") && id.chars().all(|c| c.is_ascii_alphanumeric()));
        assert_eq!(id, okta_id("00u", "alice"));
        assert_ne!(id, okta_id("00u", "bob"));
        let password = placeholder_password("alice");
        assert_eq!(password.len(), 8);
        assert!(password.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()));
    }

    #[test]
    fn stable_ids_are_the_directorys_object_ids() {
        let mut dir = crate::idp::directory::Directory::default();
        for namespace in ["", "run-7f3a-", "é-ns"] {
            dir.set_id_namespace(namespace);
            for kind in [ObjectKind::User, ObjectKind::Group] {
                for alias in ["alice", "user000042", "Sales Team", ""] {
                    let expected = dir.object_id(kind, alias, OKTA_STABLE_CHARS, |seed| object_id(kind, seed));
                    assert_eq!(stable_object_id(kind, namespace, alias), expected, "{kind:?} {namespace:?} {alias:?}");
                }
            }
        }
    }

    #[test]
    fn similar_seeds_do_not_collide() {
        let ids: std::collections::HashSet<String> =
            (0..100_000).map(|n| okta_id("00u", &format!("user:user{n:06}"))).collect();
        assert_eq!(ids.len(), 100_000);
    }
}
