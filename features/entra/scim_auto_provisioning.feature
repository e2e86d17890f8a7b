@entra
Feature: SCIM auto-provisioning with the mappings the Entra SCIM setup guide keeps

  The setup guide for a non-gallery SCIM app has the admin delete every default mapping but
  userName, active and displayName for users, and displayName and members for groups; what is
  left is all Entra sends.

  # entra-wire.md §3.1 (mappings are deleted on the Attribute Mapping blade; saving starts an
  # initial cycle), §3.2 (the defaults), §1.0 (userName stays the matching attribute), §1.2
  # (the POST: core and enterprise URNs in schemas, meta.resourceType, active true)
  Scenario: a user is created with only userName, active and displayName
    Given an Entra ID tenant
    And the user mappings are reduced to "userName", "active" and "displayName"
    And the user "alice" with:
      | attribute         | value             |
      | userPrincipalName | alice@contoso.com |
      | mailNickname      | alice             |
      | givenName         | Alice             |
      | surname           | Smith             |
      | displayName       | Alice Smith       |
      | mail              | alice@contoso.com |
      | department        | Retail            |
      | jobTitle          | Buyer             |
    And "alice" is assigned to the app
    When the provisioning cycle runs
    Then the IdP sent:
      | method | path   | query                                  |
      | GET    | /Users | filter=userName eq "{guid}"            |
      | GET    | /Users | filter=userName eq "alice@contoso.com" |
      | POST   | /Users |                                        |
    And the last request body includes:
      """
      {
        "schemas": [
          "urn:ietf:params:scim:schemas:core:2.0:User",
          "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
        ],
        "userName": "alice@contoso.com",
        "active": true,
        "displayName": "Alice Smith",
        "meta": {"resourceType": "User"}
      }
      """
    And the target has the user "alice" with "displayName" equal to "Alice Smith"
    And the target has the user "alice" with "name.givenName" absent
    And the target has the user "alice" with "emails" absent
    And the target has the user "alice" with "externalId" absent
    And the target has the user "alice" with "title" absent
    And the target has the user "alice" with "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department" absent
    And the responses match the snapshot

  # entra-wire.md §1.3 (read the linked user, PATCH only mapped attributes that differ, one
  # operation per attribute with a path in the legacy dialect)
  Scenario: only a change to a kept mapping reaches the app
    Given an Entra ID tenant
    And the user mappings are reduced to "userName", "active" and "displayName"
    And the user "alice" with:
      | attribute         | value             |
      | userPrincipalName | alice@contoso.com |
      | displayName       | Alice Smith       |
      | department        | Retail            |
    And "alice" is assigned to the app
    And the provisioning cycle runs
    When "alice"'s "department" is changed to "Sales"
    And the provisioning cycle runs
    Then the IdP sent:
      | method | path        |
      | GET    | /Users/{id} |
    When "alice"'s "displayName" is changed to "Alice Jones"
    And the provisioning cycle runs
    Then the IdP sent:
      | method | path        |
      | GET    | /Users/{id} |
      | PATCH  | /Users/{id} |
    And the last request body includes:
      """
      {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "Replace", "path": "displayName", "value": "Alice Jones"}]
      }
      """
    And the target has the user "alice" with "displayName" equal to "Alice Jones"
    And the responses match the snapshot

  # entra-wire.md §3.1, §3.2 (group mappings reduced to displayName and members: no
  # externalId), §1.9 (match on displayName without members, POST an empty group), §1.10
  # (then one PATCH adds the provisioned members), §1.14 (users first, then references)
  Scenario: an assigned group is created with only displayName, then its members are added
    Given an Entra ID tenant
    And the user mappings are reduced to "userName", "active" and "displayName"
    And the group mappings are reduced to "displayName" and "members"
    And the user "alice" with:
      | attribute         | value             |
      | userPrincipalName | alice@contoso.com |
      | displayName       | Alice Smith       |
    And the user "bob" with:
      | attribute         | value           |
      | userPrincipalName | bob@contoso.com |
      | displayName       | Bob Jones       |
    And the group "Sales" with members "alice" and "bob"
    And the group "Sales" is assigned to the app
    When the provisioning cycle runs
    Then the IdP sent:
      | method | path         | query                                                    |
      | GET    | /Users       | filter=userName eq "{guid}"                              |
      | GET    | /Users       | filter=userName eq "alice@contoso.com"                   |
      | POST   | /Users       |                                                          |
      | GET    | /Users       | filter=userName eq "bob@contoso.com"                     |
      | POST   | /Users       |                                                          |
      | GET    | /Groups      | excludedAttributes=members&filter=displayName eq "Sales" |
      | POST   | /Groups      |                                                          |
      | PATCH  | /Groups/{id} |                                                          |
    And the last request body includes:
      """
      {
        "Operations": [{
          "op": "Add",
          "path": "members",
          "value": [{"$ref": null, "value": "{id of alice}"}, {"$ref": null, "value": "{id of bob}"}]
        }]
      }
      """
    And the target has the group "Sales" with members "alice", "bob"
    And the responses match the snapshot

  # entra-wire.md §3.6 ("Sync all users and groups" instead of the default "Sync only
  # assigned users and groups"), §1.2 (create)
  Scenario: with "Sync all users and groups" a user nobody assigned is provisioned
    Given an Entra ID tenant
    And the user mappings are reduced to "userName", "active" and "displayName"
    And the provisioning scope is "Sync all users and groups"
    And the user "alice" with:
      | attribute         | value             |
      | userPrincipalName | alice@contoso.com |
      | displayName       | Alice Smith       |
    When the provisioning cycle runs
    Then the IdP sent:
      | method | path   |
      | GET    | /Users |
      | GET    | /Users |
      | POST   | /Users |
    And the target has the user "alice" active
    And the provisioning log has "Create" "Success" for "alice"
    And the responses match the snapshot
