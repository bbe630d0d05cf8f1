// A fake CometBFT chain and a pinned provider gateway for one test file, reset to the seeded market before each test.
import { after, before, beforeEach } from 'node:test';
import { FakeComet } from './fake-comet.js';
import { FakeGateway, providerStatus, selfSignedCertificate, type SelfSigned } from './fake-gateway.js';
import { PROVIDER, seedMarket } from './helpers.js';

export interface MarketFixture {
  chain: FakeComet;
  gateway: FakeGateway;
  cert: SelfSigned;
}

export function useMarketFixture(): MarketFixture {
  const m = {} as MarketFixture;
  before(async () => {
    m.cert = selfSignedCertificate('provider.example.test');
    m.chain = await new FakeComet().start();
    m.gateway = await new FakeGateway(m.cert, PROVIDER).start();
  });
  after(async () => {
    await m.gateway.stop();
    await m.chain.stop();
  });
  beforeEach(() => {
    seedMarket(m.chain);
    m.chain.height = 100;
    m.chain.fault = undefined;
    m.gateway.body = JSON.stringify(providerStatus(PROVIDER));
    m.gateway.statusCode = 200;
    m.gateway.requests = 0;
  });
  return m;
}
