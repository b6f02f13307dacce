//! The role matrix: for each actor (OWNER, ADMIN, EDIT, READ, non-member) every team-scoped route
//! answers as the table says; each failing case is reported by its name.

use reqwest::StatusCode;

use super::{World, member_id, post};
use crate::helpers::{Backend, TestApp};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Actor {
    Owner,
    Admin,
    Edit,
    Read,
    Outsider,
}

/// What a case expects of each actor: allowed (`ok`), a member without the role (403), a
/// non-member (404).
const OK_GET: u16 = 200;
const OK_POST: u16 = 303;
const DENIED: u16 = 403;
const NOT_FOUND: u16 = 404;
const CONFLICT: u16 = 409;

/// One request of the matrix.
struct Case {
    name: &'static str,
    method: &'static str,
    path: String,
    form: Vec<(&'static str, String)>,
    expect: fn(Actor) -> u16,
}

fn member_or_404(ok: u16) -> impl Fn(Actor) -> u16 {
    move |actor| {
        if actor == Actor::Outsider {
            NOT_FOUND
        } else {
            ok
        }
    }
}

fn view(actor: Actor) -> u16 {
    member_or_404(OK_GET)(actor)
}

fn manage(ok: u16) -> impl Fn(Actor) -> u16 {
    move |actor| match actor {
        Actor::Owner | Actor::Admin => ok,
        Actor::Edit | Actor::Read => DENIED,
        Actor::Outsider => NOT_FOUND,
    }
}

fn owner_only(ok: u16) -> impl Fn(Actor) -> u16 {
    move |actor| match actor {
        Actor::Owner => ok,
        Actor::Outsider => NOT_FOUND,
        _ => DENIED,
    }
}

fn cases(world_team: &str, victim: &str, admin: &str, actor: Actor) -> Vec<Case> {
    let t = world_team;
    let label = format!("{actor:?}").to_lowercase();
    let mut cases = vec![
        Case {
            name: "view the team page",
            method: "GET",
            path: format!("/teams/{t}"),
            form: vec![],
            expect: view,
        },
        Case {
            name: "open the edit form",
            method: "GET",
            path: format!("/teams/{t}/edit"),
            form: vec![],
            expect: |a| manage(OK_GET)(a),
        },
        Case {
            name: "save the settings",
            method: "POST",
            path: format!("/teams/{t}/edit"),
            form: vec![
                ("name", format!("Renamed by {label}")),
                ("ad_account_id", "act_42".into()),
                ("conversion_event", "lead".into()),
            ],
            expect: |a| manage(OK_POST)(a),
        },
        Case {
            name: "open the invite form",
            method: "GET",
            path: format!("/teams/{t}/invite"),
            form: vec![],
            expect: |a| manage(OK_GET)(a),
        },
        Case {
            name: "invite someone",
            method: "POST",
            path: format!("/teams/{t}/invite"),
            form: vec![
                ("email", format!("invitee-{label}@example.test")),
                ("role", "READ".into()),
            ],
            expect: |a| manage(OK_POST)(a),
        },
        Case {
            name: "revoke an invitation",
            method: "POST",
            path: format!("/teams/{t}/invitations/revoke"),
            form: vec![("email", "pending@example.test".into())],
            expect: |a| manage(OK_POST)(a),
        },
        Case {
            name: "change a member's role",
            method: "POST",
            path: format!("/teams/{t}/members/{victim}/role"),
            form: vec![("role", "EDIT".into())],
            expect: |a| manage(OK_POST)(a),
        },
        Case {
            name: "remove a member",
            method: "POST",
            path: format!("/teams/{t}/members/{victim}/remove"),
            form: vec![],
            expect: |a| manage(OK_POST)(a),
        },
        Case {
            name: "open the delete confirmation",
            method: "GET",
            path: format!("/teams/{t}/delete"),
            form: vec![],
            expect: |a| owner_only(OK_GET)(a),
        },
    ];
    if actor == Actor::Owner {
        cases.push(Case {
            name: "leave the team",
            method: "POST",
            path: format!("/teams/{t}/leave"),
            form: vec![],
            expect: |_| CONFLICT,
        });
        cases.push(Case {
            name: "delete the team",
            method: "POST",
            path: format!("/teams/{t}/delete"),
            form: vec![("confirm", "yes".into())],
            expect: |a| owner_only(OK_POST)(a),
        });
        cases.push(Case {
            name: "view the deleted team",
            method: "GET",
            path: format!("/teams/{t}"),
            form: vec![],
            expect: |_| NOT_FOUND,
        });
    } else {
        cases.push(Case {
            name: "transfer ownership",
            method: "POST",
            path: format!("/teams/{t}/transfer"),
            form: vec![("member", admin.to_owned())],
            expect: |a| owner_only(OK_POST)(a),
        });
        cases.push(Case {
            name: "delete the team",
            method: "POST",
            path: format!("/teams/{t}/delete"),
            form: vec![("confirm", "yes".into())],
            expect: |a| owner_only(OK_POST)(a),
        });
        cases.push(Case {
            name: "leave the team",
            method: "POST",
            path: format!("/teams/{t}/leave"),
            form: vec![],
            expect: |a| member_or_404(OK_POST)(a),
        });
    }
    cases
}

/// Runs every case as `actor`, then checks what the owner sees; panics listing every failure.
async fn run_row(actor: Actor, backend: Backend) {
    let world = World::new_on(backend).await;
    super::invite(&world.owner, &world.team, "pending@example.test", "READ").await;
    let before = world.owner_page().await;
    let victim = member_id(&before, "victim");
    let admin = member_id(&before, "admin");
    let browser: &TestApp = match actor {
        Actor::Owner => &world.owner,
        Actor::Admin => &world.admin,
        Actor::Edit => &world.edit,
        Actor::Read => &world.read,
        Actor::Outsider => &world.outsider,
    };
    let mut failures = vec![];
    for case in cases(&world.team, &victim, &admin, actor) {
        let response = match case.method {
            "GET" => browser.get(&case.path).await,
            _ => {
                let form: Vec<(&str, &str)> =
                    case.form.iter().map(|(k, v)| (*k, v.as_str())).collect();
                post(browser, &case.path, &form).await
            }
        };
        let expected = (case.expect)(actor);
        if response.status().as_u16() != expected {
            failures.push(format!(
                "{actor:?} may {} → expected {expected}, got {}",
                case.name,
                response.status()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "role matrix failures:\n{}",
        failures.join("\n")
    );

    // What a refused actor tried left no trace.
    if matches!(actor, Actor::Edit | Actor::Read | Actor::Outsider) {
        let after = world.owner_page().await;
        assert!(after.contains("<h1>Acme</h1>"), "the name is unchanged");
        assert!(
            after.contains("pending@example.test"),
            "the invitation is still pending"
        );
        assert!(
            after.contains("<td>Test victim"),
            "the victim is still a member"
        );
        assert!(!after.contains("invitee-"), "nobody was invited");
    }
    if actor == Actor::Admin {
        let after = world.owner_page().await;
        assert!(after.contains("Renamed by admin"));
        assert!(
            !after.contains("<td>Test victim"),
            "the admin removed the victim"
        );
        assert!(!after.contains("<td>Test admin"), "the admin left");
        assert!(after.contains("invitee-admin@example.test"));
    }
    let response = world.outsider.get(&format!("/teams/{}", world.team)).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

async fn the_owner_may_view_edit_invite_remove_and_delete_but_not_leave(backend: Backend) {
    run_row(Actor::Owner, backend).await;
}

async fn an_admin_may_view_edit_invite_and_remove_but_not_transfer_or_delete(backend: Backend) {
    run_row(Actor::Admin, backend).await;
}

async fn an_edit_member_may_only_view_and_leave(backend: Backend) {
    run_row(Actor::Edit, backend).await;
}

async fn a_read_member_may_only_view_and_leave(backend: Backend) {
    run_row(Actor::Read, backend).await;
}

async fn a_non_member_gets_404_on_every_team_route(backend: Backend) {
    run_row(Actor::Outsider, backend).await;
}

crate::on_both_backends!(
    the_owner_may_view_edit_invite_remove_and_delete_but_not_leave,
    an_admin_may_view_edit_invite_and_remove_but_not_transfer_or_delete,
    an_edit_member_may_only_view_and_leave,
    a_read_member_may_only_view_and_leave,
    a_non_member_gets_404_on_every_team_route,
);
