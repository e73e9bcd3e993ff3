"""/api/v1/security: Flask-AppBuilder's login and refresh, with tokens that end.

Each login opens a server-side session (app/security/sessions.py) whose key the access
and refresh tokens carry as `sid`; logout, a password change or an admin ends it, and
every token of it stops working. A locked account is told so (429)."""

from flask import request
from flask_appbuilder.const import API_SECURITY_ACCESS_TOKEN_KEY, API_SECURITY_REFRESH_TOKEN_KEY
from flask_appbuilder.security.api import SecurityApi
from flask_appbuilder.security.schemas import login_post
from flask_appbuilder.views import expose
from flask_jwt_extended import (
    create_access_token,
    create_refresh_token,
    get_jwt,
    get_jwt_identity,
    jwt_required,
)
from marshmallow import ValidationError

from app import audit
from app.errors import TooManyAttempts
from app.extensions import db
from app.security import sessions

SESSION_CLAIM = "sid"


class SiapSecurityApi(SecurityApi):
    @expose("/login", methods=["POST"])
    def login(self):
        """Sign in and get a JWT access token (and a refresh token)
        ---
        post:
          description: >-
            Authenticate and get a JWT access and refresh token. Repeated wrong
            passwords lock the account for a while (429).
          requestBody:
            required: true
            content:
              application/json:
                schema:
                  type: object
                  properties:
                    username: {type: string, example: pemohon}
                    password: {type: string}
                    provider: {type: string, enum: [db], example: db}
                    refresh: {type: boolean, example: true}
          responses:
            200:
              description: Authentication Successful
              content:
                application/json:
                  schema:
                    type: object
                    properties:
                      access_token: {type: string}
                      refresh_token: {type: string}
            400:
              $ref: '#/components/responses/400'
            401:
              $ref: '#/components/responses/401'
            429: {$ref: '#/components/responses/SiapError429'}
        """
        if not request.is_json:
            return self.response_400(message="Request payload is not JSON")
        try:
            payload = login_post.load(request.json)
        except ValidationError as error:
            return self.response_400(message=error.messages)
        if payload.get("provider", "db") != "db":
            return self.response_401()
        try:
            user = self.appbuilder.sm.auth_user_db(payload["username"], payload["password"])
        except TooManyAttempts as locked:
            response = self.response(429, message=str(locked.message))
            response.headers["Retry-After"] = str(locked.retry_after)
            return response
        if not user:
            return self.response_401()
        claims = {SESSION_CLAIM: sessions.open_session(user, "api")}
        body = {API_SECURITY_ACCESS_TOKEN_KEY: create_access_token(
            identity=str(user.id), fresh=True, additional_claims=claims)}
        if payload.get("refresh"):
            body[API_SECURITY_REFRESH_TOKEN_KEY] = create_refresh_token(
                identity=str(user.id), additional_claims=claims)
        return self.response(200, **body)

    @expose("/refresh", methods=["POST"])
    @jwt_required(refresh=True)
    def refresh(self):
        """A new access token for a live session
        ---
        post:
          description: >-
            Use the refresh token to get a new JWT access token (of the same session)
          responses:
            200:
              description: Refresh Successful
              content:
                application/json:
                  schema:
                    type: object
                    properties:
                      access_token: {type: string}
            401:
              $ref: '#/components/responses/401'
          security:
            - jwt_refresh: []
        """
        claims = {SESSION_CLAIM: get_jwt()[SESSION_CLAIM]}
        return self.response(200, **{API_SECURITY_ACCESS_TOKEN_KEY: create_access_token(
            identity=get_jwt_identity(), fresh=False, additional_claims=claims)})

    @expose("/logout", methods=["POST"])
    @jwt_required(verify_type=False)
    def logout(self):
        """End the session of this token: its access and refresh tokens stop working
        ---
        post:
          responses:
            200:
              description: Signed out
              content:
                application/json:
                  schema:
                    type: object
                    properties:
                      message: {type: string}
            401:
              $ref: '#/components/responses/401'
          security:
            - jwt: []
        """
        user = self.appbuilder.sm.get_user_by_id(int(get_jwt_identity()))
        audit.record(audit.LOGOUT, object=user, actor=user, details={"via": "api"})
        sessions.end_session(get_jwt()[SESSION_CLAIM])
        db.session.commit()
        return self.response(200, message="OK")
