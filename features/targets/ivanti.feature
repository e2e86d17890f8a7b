@targets @embedded
Feature: Entra ID and Okta against an Ivanti-like app

  # Ivanti Neurons for MDM, "Configure Attributes in SCIM User Provisioning" and its Entra
  # setup page: custom attributes under urn:ietf:params:scim:schemas:extension:ivanti:2.0:User,
  # only department from the enterprise extension. The server's other Ivanti behaviours
  # (email required, DELETE disables, blank updates ignored, group deletion disables members,
  # local users taken over, blank names refused) are modelled as the scimsim profile documents.

  Background:
    Given the target behaves like ivanti

  # entra-wire.md §3.3; Ivanti: only department of the enterprise extension is kept
  @entra
  Scenario: Entra sends a custom Ivanti attribute and the enterprise attributes; only department stays
    Given an Entra ID tenant
    And the app's attribute list includes "urn:ietf:params:scim:schemas:extension:ivanti:2.0:User:site" of type String
    And the mapping "officeLocation" -> "urn:ietf:params:scim:schemas:extension:ivanti:2.0:User:site"
    And the user "alice" with:
      | attribute         | value             |
      | userPrincipalName | alice@contoso.com |
      | mailNickname      | alice             |
      | givenName         | Alice             |
      | surname           | Smith             |
      | mail              | alice@contoso.com |
      | department        | Retail            |
      | employeeId        | E1001             |
      | officeLocation    | Berlin            |
    And "alice" is assigned to the app
    When the provisioning cycle runs
    Then the target has the user "alice" with "urn:ietf:params:scim:schemas:extension:ivanti:2.0:User:site" equal to "Berlin"
    And the target has the user "alice" with "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department" equal to "Retail"
    And the target has the user "alice" with "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber" absent
    And the responses match the snapshot

  # entra-wire.md §1.7 (DELETE after the soft-delete retention); Ivanti disables instead
  @entra
  Scenario: Entra's hard delete only disables the user in Ivanti
    Given an Entra ID tenant
    And the user "alice" with:
      | attribute         | value             |
      | userPrincipalName | alice@contoso.com |
      | mailNickname      | alice             |
      | givenName         | Alice             |
      | surname           | Smith             |
      | mail              | alice@contoso.com |
    And "alice" is assigned to the app
    And the provisioning cycle runs
    When "alice" is soft deleted
    And the provisioning cycle runs
    And 30 days pass
    And the provisioning cycle runs
    Then the IdP sent:
      | method | path        |
      | DELETE | /Users/{id} |
    And the target has the user "alice" inactive
    And the responses match the snapshot

  # entra-wire.md §1.12 (DELETE /Groups); Ivanti disables the members of a deleted group
  @entra
  Scenario: Entra deletes a group and Ivanti disables its members
    Given an Entra ID tenant
    And the user "alice" with:
      | attribute         | value             |
      | userPrincipalName | alice@contoso.com |
      | mailNickname      | alice             |
      | givenName         | Alice             |
      | surname           | Smith             |
      | mail              | alice@contoso.com |
    And the group "Sales" with members "alice"
    And the group "Sales" is assigned to the app
    And "alice" is assigned to the app
    And the provisioning cycle runs
    When the group "Sales" is deleted
    And the provisioning cycle runs
    Then the target has no group "Sales"
    And the target has the user "alice" inactive
    And the responses match the snapshot

  # okta-wire.md §1.5 (a cleared attribute is sent as ""); Ivanti ignores blank values
  @okta
  Scenario: Okta clears a title and Ivanti keeps the old one
    Given an Okta org
    And the user "alice" with:
      | attribute | value             |
      | login     | alice@example.com |
      | firstName | Alice             |
      | lastName  | Smith             |
      | email     | alice@example.com |
      | title     | Engineer          |
    And "alice" is assigned to the app
    When "alice"'s "title" is cleared
    Then the last request body includes:
      """
      {"title": ""}
      """
    And the target has the user "alice" with "title" equal to "Engineer"
    And the responses match the snapshot

  # okta-wire.md §1.11 (a 4xx with detail becomes a task); Ivanti needs an email and names
  @okta
  Scenario: Okta creates a user without an email and Ivanti refuses it
    Given an Okta org
    And the user "bob" with:
      | attribute | value           |
      | login     | bob@example.com |
      | firstName | Bob             |
      | lastName  | Jones           |
    When "bob" is assigned to the app
    Then Okta has a "Provision" task for "bob" saying "Ivanti needs an email address"
    And the target has no user "bob"
    And the responses match the snapshot

  # okta-wire.md §1.11 (a 4xx with detail becomes a task); the Ivanti target refuses a blank
  # given or family name
  @okta
  Scenario: Okta creates a user with a blank first name and Ivanti refuses it
    Given an Okta org
    And the user "carol" with:
      | attribute | value             |
      | login     | carol@example.com |
      | firstName |                   |
      | lastName  | White             |
      | email     | carol@example.com |
    When "carol" is assigned to the app
    Then Okta has a "Provision" task for "carol" saying "name.givenName is blank"
    And the responses match the snapshot

  # okta-wire.md §1.3 (a match is linked and gets the profile); Ivanti's local users
  @okta
  Scenario: Okta links a user that exists locally in Ivanti instead of creating one
    Given the target has a local user "dave@example.com" with:
      | path               | value            |
      | name.givenName     | Dave             |
      | name.familyName    | Local            |
      | emails[type eq "work"].value | dave@example.com |
    And an Okta org
    And the user "dave" with:
      | attribute | value            |
      | login     | dave@example.com |
      | firstName | Dave             |
      | lastName  | Brown            |
      | email     | dave@example.com |
    When "dave" is assigned to the app
    Then the IdP sent:
      | method | path        |
      | GET    | /Users      |
      | GET    | /Users/{id} |
      | PUT    | /Users/{id} |
    And the target has the user "dave" with "name.familyName" equal to "Brown"
    And the responses match the snapshot
