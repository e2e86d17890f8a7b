//! The generated directory of a load run, cut into batches: each batch is the users and groups
//! one IdP job provisions, so only the batches in flight are ever in memory, whatever the
//! number of users.

use std::collections::BTreeMap;
use std::ops::Range;

use serde_json::Value;

use super::load_plan::{LoadIdp, LoadPlan};

/// Users per batch (at least a group's members, so a group and its members share a batch):
/// small enough that the batches in flight stay in a few tens of MiB, large enough that the
/// probe each Entra job sends first is a fraction of a percent of the traffic.
pub const BATCH_USERS: usize = 250;

/// One job's share of the directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Batch {
    /// Its users, by number.
    pub users: Range<usize>,
    /// Its groups: number and members (user numbers, all in `users`).
    pub groups: Vec<(usize, Vec<usize>)>,
}

/// The batches of `plan`, in order: users in runs of [`BATCH_USERS`] (or of `members`, when
/// groups are larger), groups dealt out round-robin, each with `members` consecutive users of
/// its batch (wrapping around within it).
pub fn batches(plan: &LoadPlan) -> Vec<Batch> {
    let size = BATCH_USERS.max(plan.members).max(1);
    let count = plan.users.div_ceil(size).max(1);
    let mut batches: Vec<Batch> = (0..count)
        .map(|b| Batch { users: (b * size).min(plan.users)..((b + 1) * size).min(plan.users), groups: Vec::new() })
        .collect();
    for group in 0..plan.groups {
        let batch = &mut batches[group % count];
        let len = batch.users.len();
        let members = if len == 0 {
            Vec::new()
        } else {
            let start = (group / count) * plan.members;
            (0..plan.members.min(len)).map(|m| batch.users.start + (start + m) % len).collect()
        };
        batch.groups.push((group, members));
    }
    batches
}

/// The alias of user `n` (also its name's stem): `user` and the number in seven digits or more.
pub fn user_alias(n: usize) -> String {
    // Seven digits or more: eleven characters hold every alias below ten million.
    let mut alias = String::with_capacity(11);
    push_user_alias(&mut alias, n);
    alias
}

/// Appends [`user_alias`]`(n)` to `out`, for the names and addresses made of it without a
/// string of its own. Written rather than formatted: a load run makes several per user, and
/// `format!`'s padding costs several times what the rest does.
fn push_user_alias(out: &mut String, n: usize) {
    let mut digits = itoa::Buffer::new();
    let number = digits.format(n);
    out.push_str("user");
    out.extend(std::iter::repeat_n('0', 7usize.saturating_sub(number.len())));
    out.push_str(number);
}

/// The name of group `n`.
pub fn group_name(prefix: &str, n: usize) -> String {
    format!("{prefix}Group {n:05}")
}

/// The source attributes of user `n` for `idp`, names under `prefix`: what the IdP's default
/// mappings send (Entra: userPrincipalName, mailNickname, names, mail, department; Okta:
/// login, email, names, title).
pub fn user_attributes(idp: LoadIdp, prefix: &str, n: usize) -> BTreeMap<String, Value> {
    // Built straight into strings (a load run makes one set per user), listed in key order:
    // the map is then built in one pass, without searching. The address at `domain` is
    // written with its name (`prefix` and alias) in place, without strings of their own; the
    // name's length comes with it.
    let address_at = |domain: &str| {
        let mut address = String::with_capacity(prefix.len() + 12 + domain.len());
        address.push_str(prefix);
        push_user_alias(&mut address, n);
        let name_len = address.len();
        address.push_str(domain);
        (address, name_len)
    };
    let (mut digits, mut bucket_digits) = (itoa::Buffer::new(), itoa::Buffer::new());
    // Departments and titles come in 17 buckets.
    let (number, bucket) = (digits.format(n), bucket_digits.format(n % 17));
    let text = Value::String;
    match idp {
        LoadIdp::Entra => {
            let (address, name_len) = address_at("@contoso.com");
            let name = address[..name_len].to_string();
            attributes([
                ("accountEnabled", Value::Bool(true)),
                ("department", text(["Department ", bucket].concat())),
                ("displayName", text([prefix, "Given Surname", number].concat())),
                ("givenName", text("Given".into())),
                ("mail", text(address.clone())),
                ("mailNickname", text(name)),
                ("surname", text(["Surname", number].concat())),
                ("userPrincipalName", text(address)),
            ])
        }
        LoadIdp::Okta => {
            let (address, _) = address_at("@example.com");
            attributes([
                ("displayName", text([prefix, "Given Surname", number].concat())),
                ("email", text(address.clone())),
                ("firstName", text("Given".into())),
                ("lastName", text(["Surname", number].concat())),
                ("login", text(address)),
                ("title", text(["Title ", bucket].concat())),
            ])
        }
    }
}

fn attributes<const N: usize>(pairs: [(&str, Value); N]) -> BTreeMap<String, Value> {
    // From the array itself: collecting an iterator would copy the pairs into a vector first.
    BTreeMap::from(pairs.map(|(name, value)| (name.to_string(), value)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(users: usize, groups: usize, members: usize) -> LoadPlan {
        LoadPlan { idp: LoadIdp::Entra, users, groups, members, concurrency: 4, rate: None }
    }

    #[test]
    fn every_user_once_and_members_inside_their_batch() {
        let batches = batches(&plan(2500, 7, 300));
        assert_eq!(batches.len(), 9);
        let users: usize = batches.iter().map(|b| b.users.len()).sum();
        assert_eq!(users, 2500);
        let groups: usize = batches.iter().map(|b| b.groups.len()).sum();
        assert_eq!(groups, 7);
        for batch in &batches {
            for (_, members) in &batch.groups {
                assert!(members.iter().all(|m| batch.users.contains(m)));
                assert_eq!(members.len(), 300.min(batch.users.len()));
            }
        }
    }

    #[test]
    fn large_groups_widen_the_batches_and_empty_directories_still_have_one() {
        let batches = batches(&plan(5000, 2, 2500));
        assert_eq!(batches.len(), 2);
        assert_eq!(batches[0].groups[0].1.len(), 2500);
        assert_eq!(super::batches(&plan(0, 3, 10)).len(), 1);
        assert_eq!(user_attributes(LoadIdp::Okta, "s1-", 7)["login"], "s1-user0000007@example.com");
        assert_eq!(user_attributes(LoadIdp::Okta, "s1-", 7)["title"], "Title 7");
        assert_eq!(user_attributes(LoadIdp::Entra, "s1-", 40)["department"], "Department 6");
        let aliases = [0, 7, 1_234_567, 12_345_678].map(user_alias);
        assert_eq!(aliases, ["user0000000", "user0000007", "user1234567", "user12345678"]);
        let entra = user_attributes(LoadIdp::Entra, "s1-", 7);
        assert_eq!(entra["mailNickname"], format!("s1-{}", user_alias(7)));
        assert_eq!(entra["userPrincipalName"], entra["mail"]);
        assert_eq!(entra.len(), 8);
    }
}
