//! The listings a sync starts with: projects, their API keys and service
//! accounts, and the organization's users.

use futures::future::{join_all, try_join_all};

use super::limiter::Limiter;
use super::progress::Tracker;
use super::stream::retrying;
use super::SyncError;
use crate::api::client::Client;
use crate::domain::people::Person;
use crate::storage::Db;

/// Lists and stores projects, keys and people.
pub async fn sync(
    db: &Db,
    client: &Client,
    connection_id: &str,
    now: i64,
    limiter: &Limiter,
    tracker: &Tracker,
) -> Result<(), SyncError> {
    let projects = retrying(client, limiter, tracker, "Projects", || {
        client.projects(connection_id)
    });
    // People only name usage; a listing this API refuses costs nothing
    // but those names.
    let users = async {
        retrying(client, limiter, tracker, "Users", || {
            client.users(connection_id)
        })
        .await
        .unwrap_or_else(|error| {
            log::warn!("listing users failed: {error:?}");
            Vec::new()
        })
    };
    let (projects, users) = futures::join!(projects, users);
    let projects = projects?;

    let keys = try_join_all(projects.iter().map(|project| {
        retrying(client, limiter, tracker, "API keys", move || {
            client.api_keys(connection_id, &project.id)
        })
    }));
    let accounts = join_all(projects.iter().map(|project| {
        retrying(client, limiter, tracker, "Service accounts", move || {
            client.service_accounts(connection_id, &project.id)
        })
    }));
    let (keys, accounts) = futures::join!(keys, accounts);
    let keys = keys?;

    let keys: Vec<_> = keys.into_iter().flatten().collect();
    let mut people: Vec<Person> = users;
    for account in accounts.into_iter().flat_map(Result::unwrap_or_default) {
        if !people.iter().any(|p| p.id == account.id) {
            people.push(account);
        }
    }
    db.save_directory(connection_id, &projects, &keys, now)
        .await?;
    db.save_people(connection_id, &people).await?;
    Ok(())
}
