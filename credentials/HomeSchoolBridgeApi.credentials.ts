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

  authenticate: IAuthenticateGeneric = {
    type: 'generic',
    properties: {
      headers: { 'X-API-Key': '={{$credentials.apiKey}}' },
    },
  };

  test: ICredentialTestRequest = {
    request: {
      baseURL: '={{$credentials.baseUrl.replace(/\\/$/, "")}}',
      url: '/api/auth/me',
      method: 'GET',
    },
  };
}
