//! The DynamoDB backend's connectors: one item per (team, platform) in the team's partition
//! (`sk = CONNECTOR#<platform>`), listed per platform through `gsi1` for key rotation.

use adboard_domain::account::UserId;
use adboard_domain::ads::AdAccountId;
use adboard_domain::connector::Platform;
use adboard_domain::team::TeamId;
use aws_sdk_dynamodb::types::{AttributeValue, Put, ReturnValue, TransactWriteItem};
use chrono::{DateTime, Utc};

use super::keys::{self, *};
use super::team_items::corrupt;
use super::{DynamoStore, TxError, build, is_conditional_failure, sdk_error};
use crate::{
    ConnectedAccount, Connector, ConnectorHealth, ConnectorStore, Result, SealedToken, StoreError,
};

fn connector_key(team: TeamId, platform: Platform) -> Item {
    keys::key(team_pk(team), &connector_sk(platform))
}

fn connector_item(c: &Connector) -> Item {
    let mut item = connector_key(c.team, c.platform);
    let mut put = |name: &str, value: AttributeValue| {
        item.insert(name.to_owned(), value);
    };
    // Listed per platform for key rotation: gsi1pk = the same `CONNECTOR#<platform>` as the sk.
    put(GSI1PK, s(connector_sk(c.platform)));
    put(GSI1SK, s(format!("TEAM#{}", c.team)));
    put("team_id", s(c.team.to_string()));
    put("platform", s(c.platform.as_str()));
    put("key_id", s(&c.token.key_id));
    put("ciphertext", s(&c.token.ciphertext));
    put("external_user_id", s(&c.external_user_id));
    put("external_user_name", s(&c.external_user_name));
    put(
        "scopes",
        AttributeValue::L(c.scopes.iter().map(s).collect()),
    );
    put("connected_by", s(c.connected_by.to_string()));
    put("connected_at", time(c.connected_at));
    if let Some(at) = c.expires_at {
        put("expires_at", time(at));
    }
    if let Some(at) = c.data_access_expires_at {
        put("data_access_expires_at", time(at));
    }
    if let Some(a) = &c.account {
        put("account_id", s(a.id.as_str()));
        put("account_name", s(&a.name));
        put("account_currency", s(&a.currency));
        put("account_timezone", s(&a.timezone));
    }
    if let Some(at) = c.health.checked_at {
        put("checked_at", time(at));
    }
    if let Some(reason) = &c.health.invalid_reason {
        put("invalid_reason", s(reason));
    }
    item
}

pub(super) fn connector_from_item(item: &Item) -> Result<Connector> {
    let text = |name: &str| get_s(item, name).map(str::to_owned);
    let scopes = match item.get("scopes") {
        Some(AttributeValue::L(values)) => values
            .iter()
            .map(|v| v.as_s().cloned().map_err(corrupt("scopes")))
            .collect::<Result<Vec<_>>>()?,
        _ => return Err(StoreError::corrupt("scopes")),
    };
    let account = match get_opt_s(item, "account_id")? {
        Some(id) => Some(ConnectedAccount {
            id: AdAccountId::parse(id).map_err(corrupt("ad account id"))?,
            name: text("account_name")?,
            currency: text("account_currency")?,
            timezone: text("account_timezone")?,
        }),
        None => None,
    };
    Ok(Connector {
        team: TeamId::parse(get_s(item, "team_id")?).map_err(corrupt("team id"))?,
        platform: Platform::parse(get_s(item, "platform")?).map_err(corrupt("platform"))?,
        token: SealedToken {
            key_id: text("key_id")?,
            ciphertext: text("ciphertext")?,
        },
        external_user_id: text("external_user_id")?,
        external_user_name: text("external_user_name")?,
        scopes,
        expires_at: get_opt_time(item, "expires_at")?,
        data_access_expires_at: get_opt_time(item, "data_access_expires_at")?,
        connected_by: UserId::parse(get_s(item, "connected_by")?).map_err(corrupt("user id"))?,
        connected_at: get_time(item, "connected_at")?,
        account,
        health: ConnectorHealth {
            checked_at: get_opt_time(item, "checked_at")?,
            invalid_reason: get_opt_s(item, "invalid_reason")?.map(str::to_owned),
        },
    })
}

/// The connectors among a team partition's items, sorted by platform (for the team page).
pub(super) fn connectors_among(items: &[Item]) -> Result<Vec<Connector>> {
    let mut connectors = items
        .iter()
        .filter(|i| super::team_items::sk_of(i).starts_with(CONNECTOR_PREFIX))
        .map(connector_from_item)
        .collect::<Result<Vec<_>>>()?;
    connectors.sort_by_key(|c| c.platform);
    Ok(connectors)
}

impl DynamoStore {
    /// One conditional UpdateItem on a connector: `Ok(false)` if its condition failed.
    async fn update_connector(
        &self,
        team: TeamId,
        platform: Platform,
        update: &str,
        condition: &str,
        values: Vec<(&str, AttributeValue)>,
    ) -> Result<bool> {
        let mut request = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(connector_key(team, platform)))
            .update_expression(update)
            .condition_expression(condition);
        for (name, value) in values {
            request = request.expression_attribute_values(name, value);
        }
        match request.send().await {
            Ok(_) => Ok(true),
            Err(err) if is_conditional_failure(&err) => Ok(false),
            Err(err) => Err(sdk_error(err)),
        }
    }
}

#[async_trait::async_trait]
impl ConnectorStore for DynamoStore {
    async fn put_connector(&self, connector: Connector) -> Result<Connector> {
        let connector = connector.at_micros();
        // [ConditionCheck team, Put connector]: an unconditional Put replaces the item whole, so
        // racing reconnects leave exactly one; the check keeps a deleted team's partition empty.
        let put = build(
            Put::builder()
                .table_name(&self.table)
                .set_item(Some(connector_item(&connector)))
                .build(),
        )?;
        let items = vec![
            self.check_exists(Self::team_key(connector.team))?,
            TransactWriteItem::builder().put(put).build(),
        ];
        match self.transact(items).await {
            Ok(()) => Ok(connector),
            Err(TxError::Condition(_)) => Err(StoreError::NotFound),
            Err(TxError::Store(e)) => Err(e),
        }
    }

    async fn get_connector(&self, team: TeamId, platform: Platform) -> Result<Option<Connector>> {
        self.get_item(connector_key(team, platform))
            .await?
            .as_ref()
            .map(connector_from_item)
            .transpose()
    }

    async fn delete_connector(&self, team: TeamId, platform: Platform) -> Result<bool> {
        let out = self
            .client
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(connector_key(team, platform)))
            .return_values(ReturnValue::AllOld)
            .send()
            .await
            .map_err(sdk_error)?;
        Ok(out.attributes.is_some_and(|old| !old.is_empty()))
    }

    async fn set_connector_account(
        &self,
        team: TeamId,
        platform: Platform,
        account: ConnectedAccount,
    ) -> Result<()> {
        let updated = self
            .update_connector(
                team,
                platform,
                "SET account_id = :id, account_name = :name, account_currency = :currency, \
                 account_timezone = :tz",
                "attribute_exists(pk)",
                vec![
                    (":id", s(account.id.as_str())),
                    (":name", s(account.name)),
                    (":currency", s(account.currency)),
                    (":tz", s(account.timezone)),
                ],
            )
            .await?;
        if updated {
            Ok(())
        } else {
            Err(StoreError::NotFound)
        }
    }

    async fn record_connector_check(
        &self,
        team: TeamId,
        platform: Platform,
        connected_at: DateTime<Utc>,
        checked_at: DateTime<Utc>,
        invalid_reason: Option<String>,
    ) -> Result<bool> {
        let mut values = vec![
            (":checked", time(checked_at)),
            (":connected", time(connected_at)),
        ];
        let update = match invalid_reason {
            Some(reason) => {
                values.push((":reason", s(reason)));
                "SET checked_at = :checked, invalid_reason = :reason"
            }
            None => "SET checked_at = :checked REMOVE invalid_reason",
        };
        // A missing item fails the comparison too: a deleted connector is not recreated.
        self.update_connector(team, platform, update, "connected_at = :connected", values)
            .await
    }

    async fn list_connectors(&self) -> Result<Vec<Connector>> {
        let mut all = Vec::new();
        for platform in Platform::ALL {
            for item in self
                .query_gsi(connector_sk(platform), "TEAM#", None)
                .await?
            {
                all.push(connector_from_item(&item)?);
            }
        }
        Ok(all)
    }

    async fn replace_connector_token(
        &self,
        team: TeamId,
        platform: Platform,
        old: &SealedToken,
        new: SealedToken,
    ) -> Result<bool> {
        self.update_connector(
            team,
            platform,
            "SET key_id = :key_id, ciphertext = :new",
            "ciphertext = :old",
            vec![
                (":key_id", s(new.key_id)),
                (":new", s(new.ciphertext)),
                (":old", s(&old.ciphertext)),
            ],
        )
        .await
    }
}
