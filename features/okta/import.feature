@okta
Feature: Okta imports the users and groups the app already holds

  # okta-wire.md §1.2 (GET /Users?startIndex=1&count=100, page after page; users with
  # active=false are not pulled in), test plan C9303 (only active users) and C9304 ("1 users
  # scanned, 1 new user imported"). An import reads every user the app holds, so its counts
  # hold only on a target the scenario has to itself: @embedded.
  @embedded
  Scenario: a user import reads the app's users and leaves out the inactive ones
    Given the target already has the user "carol@example.com" with:
      | path            | value |
      | name.givenName  | Carol |
      | name.familyName | Jones |
    And the target already has the user "dave@example.com" with:
      | path            | value |
      | name.givenName  | Dave  |
      | name.familyName | Brown |
      | active          | false |
    And an Okta org
    When users are imported
    Then the IdP sent:
      | method | path                          |
      | GET    | /Users?startIndex=1&count=100 |
    And the import scanned 2 and took in 1 new
    And Okta logged "Import users from external application" for "scimsim SCIM 2.0 app" saying "2 users scanned, 1 new users imported"
    And Okta has no open tasks
    And the responses match the snapshot

  # okta-wire.md §1.2 (groups are imported the same way, GET /Groups?startIndex=1&count=100),
  # test plan C9338 ("1 groups scanned…"); @embedded for the same reason
  @embedded
  Scenario: a group import reads the app's groups
    Given the target already has the group "Sales"
    And an Okta org
    When groups are imported
    Then the IdP sent:
      | method | path                           |
      | GET    | /Groups?startIndex=1&count=100 |
    And the import scanned 1 and took in 1 new
    And Okta logged "Import groups from external application" for "scimsim SCIM 2.0 app" saying "1 groups scanned, 1 new groups imported"
    And Okta has no open tasks
    And the responses match the snapshot
