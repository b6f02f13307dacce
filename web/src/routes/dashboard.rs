//! The dashboard routes: the page (`GET /dashboard`), the same data as JSON
//! (`GET /dashboard/data.json`) and as CSV (`GET /dashboard.csv`). Each asks
//! `dashboard::Dashboard::view` for the outcome and only renders it.

use actix_session::Session;
use actix_web::http::header;
use actix_web::{HttpResponse, web};
use serde_json::json;
use tera::Context;

use crate::dashboard::range::{Preset, RangeChoice};
use crate::dashboard::view::csv;
use crate::dashboard::{Blocked, DashboardQuery, View, blocked_error, managers, owner_name};
use crate::error::AppError;
use crate::extract::SessionUser;
use crate::routes::{flash_and_redirect, redirect};
use crate::state::AppState;
use crate::teams::SELECT_A_TEAM;
use crate::templates::{Nav, html, page_context};

pub async fn page(
    user: SessionUser,
    session: Session,
    state: web::Data<AppState>,
    query: web::Query<DashboardQuery>,
) -> Result<HttpResponse, AppError> {
    let view = view(&user, &session, &state, &query).await?;
    let member = match &view {
        View::NoTeam => return flash_and_redirect(&session, SELECT_A_TEAM, "/teams"),
        View::Blocked {
            page,
            member,
            blocked: Blocked::MissingSettings(missing),
        } if member.role.can_manage() => {
            let text = format!("Set {} to see the dashboard.", missing.join(" and "));
            return flash_and_redirect(&session, &text, &format!("/teams/{}/edit", page.team.id));
        }
        View::Blocked { member, .. } | View::Failed { member, .. } | View::Ready { member, .. } => {
            member
        }
    };
    let mut context = page_context(&session, Some(&member.user), Nav::Dashboard)?;
    fill_context(&mut context, &view)?;
    Ok(html(state.templates.render("dashboard.html", &context)?))
}

pub async fn data_json(
    user: SessionUser,
    session: Session,
    state: web::Data<AppState>,
    query: web::Query<DashboardQuery>,
) -> Result<HttpResponse, AppError> {
    let view = view(&user, &session, &state, &query).await?;
    Ok(match view {
        View::Ready { loaded, .. } => HttpResponse::Ok()
            .content_type("application/json")
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .body(loaded.json().to_owned()),
        View::Failed { failure, .. } => {
            let mut response = json_response(
                failure.status,
                &json!({"error": {
                    "message": failure.message, "retry_after": failure.retry_after, "reconnect": failure.reconnect,
                }}),
            );
            if let Some(secs) = failure.retry_after {
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, secs.into());
            }
            response
        }
        View::NoTeam => json_response(409, &json!({"error": {"message": SELECT_A_TEAM}})),
        View::Blocked { blocked, .. } => json_response(
            409,
            &json!({"error": {"message": blocked_error(&blocked).to_string()}}),
        ),
    })
}

pub async fn csv_download(
    user: SessionUser,
    session: Session,
    state: web::Data<AppState>,
    query: web::Query<DashboardQuery>,
) -> Result<HttpResponse, AppError> {
    let view = view(&user, &session, &state, &query).await?;
    match view {
        View::Ready { page, loaded, .. } => {
            let name = format!(
                "adboard-{}-{}-to-{}.csv",
                file_slug(page.team.name.as_str()),
                loaded.range.since(),
                loaded.range.until()
            );
            Ok(HttpResponse::Ok()
                .content_type("text/csv; charset=utf-8")
                .insert_header((header::CACHE_CONTROL, "no-store"))
                .insert_header((
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{name}\""),
                ))
                .body(csv(&loaded.report.rows)))
        }
        View::Failed { failure, .. } => Err(failure.into()),
        View::Blocked { blocked, .. } => Err(blocked_error(&blocked)),
        View::NoTeam => Ok(redirect("/teams")),
    }
}

/// The outcome for this request (the same for the page, the JSON and the CSV).
async fn view(
    user: &SessionUser,
    session: &Session,
    state: &AppState,
    query: &DashboardQuery,
) -> Result<View, AppError> {
    state
        .dashboard
        .view(
            state.store.as_ref(),
            &state.keyring,
            session,
            user.id,
            query,
        )
        .await
}

fn json_response(status: u16, body: &serde_json::Value) -> HttpResponse {
    let status = actix_web::http::StatusCode::from_u16(status)
        .unwrap_or(actix_web::http::StatusCode::BAD_GATEWAY);
    HttpResponse::build(status)
        .content_type("application/json")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(body.to_string())
}

/// The team's name as a file-name part: ASCII letters and digits, `-` between words.
fn file_slug(name: &str) -> String {
    let mut slug = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug: String = slug.trim_end_matches('-').chars().take(40).collect();
    if slug.is_empty() {
        "team".to_owned()
    } else {
        slug
    }
}

/// The range as URL parameters (`preset=…` or `since=…&until=…`).
fn range_params(choice: RangeChoice) -> String {
    match choice {
        RangeChoice::Preset(p) => format!("preset={}", p.as_str()),
        RangeChoice::Custom { since, until } => format!("since={since}&until={until}"),
    }
}

/// The template's variables for every outcome but `NoTeam`.
fn fill_context(context: &mut Context, view: &View) -> Result<(), AppError> {
    let (page, member, choice) = match view {
        View::Blocked { page, member, .. } => (page, member, None),
        View::Failed {
            page,
            member,
            choice,
            ..
        }
        | View::Ready {
            page,
            member,
            choice,
            ..
        } => (page, member, Some(*choice)),
        View::NoTeam => return Ok(()),
    };
    let team = page.team.id.to_string();
    context.insert("team_id", &team);
    context.insert("team_name", page.team.name.as_str());
    context.insert("is_owner", &member.role.is_owner());
    context.insert("can_manage", &member.role.can_manage());
    context.insert("owner_name", &owner_name(page));
    context.insert("managers", &managers(page));
    context.insert(
        "account_id",
        &page
            .team
            .settings
            .ad_account_id
            .as_ref()
            .map(|a| a.as_str()),
    );
    context.insert(
        "conversion_event",
        &page
            .team
            .settings
            .conversion_event
            .as_ref()
            .map(|e| e.as_str()),
    );
    let current = choice.and_then(RangeChoice::preset);
    let presets: Vec<_> = Preset::ALL
        .iter()
        .map(|p| json!({"id": p.as_str(), "label": p.label(), "current": Some(*p) == current}))
        .collect();
    context.insert("presets", &presets);
    if let Some(choice) = choice {
        let params = range_params(choice);
        context.insert("range_params", &params);
        context.insert(
            "refresh_url",
            &format!("/dashboard?team={team}&{params}&refresh=1"),
        );
    }
    match view {
        View::Blocked { blocked, .. } => {
            let (kind, detail) = match blocked {
                Blocked::NoConnector => ("no_connector", String::new()),
                Blocked::ReconnectNeeded(reason) => ("reconnect", (*reason).to_owned()),
                Blocked::MissingSettings(missing) => ("missing_settings", missing.join(" and ")),
            };
            context.insert("blocked", kind);
            context.insert("blocked_detail", &detail);
        }
        View::Failed { failure, .. } => {
            context.insert(
                "failure",
                &json!({
                    "message": failure.message, "retry": failure.retry,
                    "retry_after": failure.retry_after, "reconnect": failure.reconnect,
                }),
            );
        }
        View::Ready { loaded, .. } => {
            let (since, until) = (loaded.range.since(), loaded.range.until());
            context.insert("since", &since);
            context.insert("until", &until);
            context.insert(
                "previous",
                &loaded
                    .previous
                    .map(|p| json!({"since": p.since(), "until": p.until()})),
            );
            context.insert("currency", &loaded.current.currency);
            context.insert("timezone", &loaded.current.timezone);
            context.insert("cards", &loaded.report.cards);
            context.insert("rows", &loaded.report.rows);
            context.insert("changing_from", &loaded.report.changing_from);
            context.insert(
                "csv_url",
                &format!("/dashboard.csv?team={team}&since={since}&until={until}"),
            );
            context.insert(
                "data_url",
                &format!("/dashboard/data.json?team={team}&since={since}&until={until}"),
            );
            context.insert("charts_json", loaded.charts_json());
        }
        View::NoTeam => {}
    }
    Ok(())
}
