//! The cursor-paged listings: projects, their API keys and service
//! accounts, and users.
//!
//! The JSON objects are built once at start, in the shape OpenAI sends,
//! with the timestamps the demo organization does not carry made up
//! consistently around its usage period.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use keymeter::domain::demo::{DemoOrg, User};
use keymeter::domain::keys::{ApiKey, OwnerKind};
use keymeter::domain::time::{Date, DAY};
use serde_json::{json, Value};

use super::error::ApiFailure;
use super::faults::RepeatCursor;
use super::query::Query;
use super::Shared;

/// Listing page size when `limit` is not given, and its ceiling.
const DEFAULT_LIMIT: usize = 20;
const MAX_LIMIT: usize = 100;

/// One object of a listing with what paging and filtering need.
pub(crate) struct Listed {
    id: String,
    archived: bool,
    object: Value,
}

/// Every listing the mock serves.
pub(crate) struct Listings {
    projects: Vec<Listed>,
    /// Keys by project id.
    keys: BTreeMap<String, Vec<Listed>>,
    /// Service accounts by project id: the owners of its keys.
    service_accounts: BTreeMap<String, Vec<Listed>>,
    users: Vec<Listed>,
}

impl Listings {
    pub(crate) fn new(org: &DemoOrg, last_day: Date, days: u32) -> Self {
        let first_day =
            last_day.to_unix() - i64::from(days.saturating_sub(1)) * DAY;
        let projects = org
            .projects
            .iter()
            .zip(0..)
            .map(|(project, i): (_, i64)| {
                // Archived projects are taken as archived on the last day,
                // so their usage is still inside the served period.
                let archived_at = project.archived.then(|| last_day.to_unix());
                let status = if project.archived {
                    "archived"
                } else {
                    "active"
                };
                Listed {
                    id: project.id.clone(),
                    archived: project.archived,
                    object: json!({
                        "object": "organization.project",
                        "id": project.id,
                        "name": project.name,
                        "created_at": first_day - (60 - 7 * i) * DAY,
                        "archived_at": archived_at,
                        "status": status,
                    }),
                }
            })
            .collect();
        let mut keys: BTreeMap<String, Vec<Listed>> = org
            .projects
            .iter()
            .map(|project| (project.id.clone(), Vec::new()))
            .collect();
        for key in &org.keys {
            keys.entry(key.project_id.clone())
                .or_default()
                .push(Listed {
                    id: key.id.clone(),
                    archived: false,
                    object: key_object(org, key),
                });
        }
        let service_accounts = service_accounts_by_project(org);
        let users = org
            .users
            .iter()
            .zip(0..)
            .map(|(user, i): (&User, i64)| Listed {
                id: user.id.clone(),
                archived: false,
                object: json!({
                    "object": "organization.user",
                    "id": user.id,
                    "name": user.name,
                    "email": user.email,
                    "role": user.role,
                    "added_at": first_day - (90 - 5 * i) * DAY,
                }),
            })
            .collect();
        Listings {
            projects,
            keys,
            service_accounts,
            users,
        }
    }
}

/// Each project's service accounts: the distinct service-account owners
/// of its keys, in key order. An account is taken as created with its
/// first key, which the demo does not say otherwise.
fn service_accounts_by_project(org: &DemoOrg) -> BTreeMap<String, Vec<Listed>> {
    let mut accounts: BTreeMap<String, Vec<Listed>> = org
        .projects
        .iter()
        .map(|project| (project.id.clone(), Vec::new()))
        .collect();
    for key in &org.keys {
        let Some(owner) = &key.owner else { continue };
        if owner.kind != OwnerKind::ServiceAccount {
            continue;
        }
        let listed = accounts.entry(key.project_id.clone()).or_default();
        if listed.iter().any(|account| account.id == owner.id) {
            continue;
        }
        let created_at = org
            .keys
            .iter()
            .filter(|k| k.owner.as_ref().is_some_and(|o| o.id == owner.id))
            .filter_map(|k| k.created_at)
            .min();
        listed.push(Listed {
            id: owner.id.clone(),
            archived: false,
            object: json!({
                "object": "organization.project.service_account",
                "id": owner.id,
                "name": owner.name,
                "role": "member",
                "created_at": created_at,
            }),
        });
    }
    accounts
}

/// A key as `/projects/{id}/api_keys` lists it. `last_used_at` is the
/// latest day the key has usage, so an unused key shows `null`.
fn key_object(org: &DemoOrg, key: &ApiKey) -> Value {
    let last_used = key.last_used_at.or_else(|| {
        org.usage
            .iter()
            .filter(|record| record.api_key_id.as_deref() == Some(&key.id))
            .map(|record| record.start_time)
            .max()
    });
    let owner = key.owner.as_ref().map(|owner| match owner.kind {
        OwnerKind::User => {
            let user = org.users.iter().find(|user| user.id == owner.id);
            // A project role, not the organization one.
            let role = match user.map(|user| user.role.as_str()) {
                Some("owner") => "owner",
                _ => "member",
            };
            json!({
                "type": "user",
                "user": {
                    "object": "organization.project.user",
                    "id": owner.id,
                    "name": owner.name,
                    "email": user.map(|user| user.email.as_str()),
                    "role": role,
                },
            })
        }
        OwnerKind::ServiceAccount => json!({
            "type": "service_account",
            "service_account": {
                "object": "organization.project.service_account",
                "id": owner.id,
                "name": owner.name,
                "role": "member",
            },
        }),
    });
    json!({
        "object": "organization.project.api_key",
        "id": key.id,
        "name": key.name,
        "redacted_value": key.redacted_value,
        "created_at": key.created_at,
        "last_used_at": last_used,
        "owner": owner,
    })
}

/// `GET /organization/projects`: archived projects only with
/// `include_archived=true`.
pub(crate) async fn projects(
    State(shared): State<Arc<Shared>>,
    repeat: Option<Extension<RepeatCursor>>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Value>, ApiFailure> {
    let query = Query::parse(raw.as_deref());
    let archived = query.first("include_archived") == Some("true");
    let visible: Vec<&Listed> = shared
        .listings
        .projects
        .iter()
        .filter(|project| archived || !project.archived)
        .collect();
    page(&visible, &query, repeat.is_some())
}

/// `GET /organization/projects/{project_id}/api_keys`. The mock lists
/// every key whatever `owner_project_access` says, which is what `any`
/// asks for.
pub(crate) async fn api_keys(
    State(shared): State<Arc<Shared>>,
    Path(project_id): Path<String>,
    repeat: Option<Extension<RepeatCursor>>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Value>, ApiFailure> {
    let keys = shared
        .listings
        .keys
        .get(&project_id)
        .ok_or_else(|| no_such_project(&project_id))?;
    let revoked = shared.revoked();
    let keys: Vec<&Listed> =
        keys.iter().filter(|k| !revoked.contains(&k.id)).collect();
    page(&keys, &Query::parse(raw.as_deref()), repeat.is_some())
}

/// `GET /organization/projects/{project_id}/service_accounts`. Accounts
/// stay listed after their keys are revoked: deleting a key does not
/// delete its account.
pub(crate) async fn service_accounts(
    State(shared): State<Arc<Shared>>,
    Path(project_id): Path<String>,
    repeat: Option<Extension<RepeatCursor>>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Value>, ApiFailure> {
    let accounts = shared
        .listings
        .service_accounts
        .get(&project_id)
        .ok_or_else(|| no_such_project(&project_id))?;
    let accounts: Vec<&Listed> = accounts.iter().collect();
    page(&accounts, &Query::parse(raw.as_deref()), repeat.is_some())
}

fn no_such_project(project_id: &str) -> ApiFailure {
    ApiFailure::new(
        StatusCode::NOT_FOUND,
        format!("No such project: '{project_id}'."),
    )
}

/// `GET /organization/users`.
pub(crate) async fn users(
    State(shared): State<Arc<Shared>>,
    repeat: Option<Extension<RepeatCursor>>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Value>, ApiFailure> {
    let users: Vec<&Listed> = shared.listings.users.iter().collect();
    page(&users, &Query::parse(raw.as_deref()), repeat.is_some())
}

/// One page of a listing: `limit` items after the id given as `after`.
/// With `repeat`, the page claims more and names as its last id the
/// cursor it was asked with (on the first page, its first id), as a
/// server stuck in a loop would.
fn page(
    items: &[&Listed],
    query: &Query,
    repeat: bool,
) -> Result<Json<Value>, ApiFailure> {
    let limit = query.limit(DEFAULT_LIMIT, MAX_LIMIT)?;
    let start = match query.first("after") {
        None => 0,
        Some(after) => {
            let position = items.iter().position(|item| item.id == after);
            position.map(|p| p + 1).ok_or_else(|| {
                ApiFailure::bad_param(
                    "after",
                    format!("Invalid 'after': no object with id '{after}'."),
                )
            })?
        }
    };
    let end = (start + limit).min(items.len());
    let shown = &items[start..end];
    let first_id = shown.first().map(|item| item.id.as_str());
    let (last_id, has_more) = if repeat {
        (query.first("after").or(first_id), true)
    } else {
        (shown.last().map(|item| item.id.as_str()), end < items.len())
    };
    Ok(Json(json!({
        "object": "list",
        "data": shown.iter().map(|item| &item.object).collect::<Vec<_>>(),
        "first_id": first_id,
        "last_id": last_id,
        "has_more": has_more,
    })))
}
