import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

export class HomeSchoolBridgeApi implements ICredentialType {
  name = 'homeSchoolBridgeApi';

  displayName = 'Home–School Bridge API (家校心桥 API)';

  icon: Icon = { light: 'file:homeSchoolBridge.svg', dark: 'file:homeSchoolBridge.dark.svg' };

  documentationUrl = 'https://github.com/home-school-bridge/n8n-nodes-home-school-bridge#n8n';

  properties: INodeProperties[] = [
    {
      displayName: 'Base URL (服务地址)',
      name: 'baseUrl',
      type: 'string',
      default: 'http://127.0.0.1:3000',
      placeholder: 'https://bridge.example.edu.cn',
      description: 'Address of the Home–School Bridge service, without a trailing slash',
      required: true,
    },
    {
      displayName: 'API Key (API 密钥)',
      name: 'apiKey',
      type: 'string',
      typeOptions: { password: true },
      default: '',
      description: 'A key created under API keys in the service (hsb_…); it acts with the scopes it was given',
      required: true,
    },
  ];

  // What n8n's credential test sends; the nodes send the same header themselves (nodes/shared/transport.ts).
  authenticate: IAuthenticateGeneric = {
    type: 'generic',
    properties: {
      headers: { 'X-API-Key': '={{$credentials.apiKey}}' },
    },
  };

  // n8n shows only the HTTP status text of a failed test request ("Unauthorized"), never the response
  // body, so the service's own messages for the answers this request can get are repeated here.
  test: ICredentialTestRequest = {
    request: {
      baseURL: '={{$credentials.baseUrl.replace(/\\/$/, "")}}',
      url: '/api/auth/me',
      method: 'GET',
    },
    rules: [
      {
        type: 'responseCode',
        properties: { value: 401, message: '请先登录或提供有效的 API 密钥 / Sign in or send a valid API key (HTTP 401: the API key is wrong, revoked or its owner is inactive)' },
      },
      {
        type: 'responseCode',
        properties: { value: 404, message: '服务地址不对：此地址没有家校心桥服务 / The Base URL does not point to a Home–School Bridge service (HTTP 404)' },
      },
    ],
  };
}
