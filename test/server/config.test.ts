import { describe, it, expect } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.ts';

describe('loadConfig', () => {
  it('applies the documented defaults when nothing is set', () => {
    expect(loadConfig({})).toEqual({
      port: 2567,
      host: '0.0.0.0',
      databaseUrl: undefined,
      dataDir: './data',
      redisUrl: undefined,
      publicAddress: undefined,
      logLevel: 'info',
      timeDilation: 4,
      patchRateMs: 100,
      clientDist: 'client/dist',
      recoveryLeaseMs: 10_000,
      matchmakeLimit: { burst: 40, perMinute: 60 },
      roomCreateLimit: { burst: 10, perMinute: 10 },
      corsOrigins: [],
      shutdownTimeoutMs: 5000,
      roomMessagesPerSecond: 30,
      sessionSecret: undefined,
      requireAuth: false,
      trainerUsers: [],
      authPerMinute: 10,
    });
    expect(loadConfig({ RECOVERY_LEASE_MS: '1500' }).recoveryLeaseMs).toBe(1500);
    expect(() => loadConfig({ RECOVERY_LEASE_MS: '10' })).toThrow(/RECOVERY_LEASE_MS/);
  });

  it('reads the accounts settings and names a bad one', () => {
    expect(loadConfig({ REQUIRE_AUTH: '1', TRAINER_USERS: 'Alice, bob', AUTH_PER_MINUTE: '3', SESSION_SECRET: 'x'.repeat(32) })).toMatchObject({
      requireAuth: true,
      trainerUsers: ['alice', 'bob'],
      authPerMinute: 3,
      sessionSecret: 'x'.repeat(32),
    });
    expect(() => loadConfig({ SESSION_SECRET: 'short' })).toThrow('SESSION_SECRET: expected at least 32 characters, got 5 characters');
    expect(() => loadConfig({ TRAINER_USERS: 'a' })).toThrow(/TRAINER_USERS/);
  });

  it('reads the hostile-client limits and CORS origins, and names a bad origin', () => {
    expect(
      loadConfig({ MATCHMAKE_BURST: '5', MATCHMAKE_PER_MINUTE: '30', ROOM_CREATE_BURST: '2', ROOM_CREATE_PER_MINUTE: '1', CORS_ORIGINS: 'https://a.example, http://b.example:8080', SHUTDOWN_TIMEOUT_MS: '2000' }),
    ).toMatchObject({
      matchmakeLimit: { burst: 5, perMinute: 30 },
      roomCreateLimit: { burst: 2, perMinute: 1 },
      corsOrigins: ['https://a.example', 'http://b.example:8080'],
      shutdownTimeoutMs: 2000,
    });
    expect(() => loadConfig({ CORS_ORIGINS: 'https://a.example/path' })).toThrow(/CORS_ORIGINS: expected comma-separated origins/);
  });

  it('reads every variable, treating empty strings as unset', () => {
    const config = loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: 'postgres://game:secret@db:5432/gameday',
      DATA_DIR: 'memory://',
      REDIS_URL: 'redis://cache:6379',
      PUBLIC_ADDRESS: 'game-1.example.com:2567',
      LOG_LEVEL: 'warn',
      TIME_DILATION: '0.5',
      PATCH_RATE_MS: '50',
      CLIENT_DIST: '',
    });
    expect(config).toMatchObject({
      port: 0,
      host: '127.0.0.1',
      databaseUrl: 'postgres://game:secret@db:5432/gameday',
      dataDir: 'memory://',
      redisUrl: 'redis://cache:6379',
      publicAddress: 'game-1.example.com:2567',
      logLevel: 'warn',
      timeDilation: 0.5,
      patchRateMs: 50,
      clientDist: 'client/dist',
    });
  });

  it('names the variable, the rule and the bad value', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(
      new ConfigError('Invalid configuration: PORT: expected an integer between 0 and 65535, got "abc"'),
    );
  });

  it('reports every bad variable at once', () => {
    let message = '';
    try {
      loadConfig({ PORT: '70000', TIME_DILATION: '0', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain('PORT: expected an integer between 0 and 65535, got "70000"');
    expect(message).toContain('TIME_DILATION: expected a number between 0.25 and 120, got "0"');
    expect(message).toContain('DATABASE_URL: expected a URL starting with postgres:// or postgresql://, got "mysql://x"');
    expect(message).toContain('LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent, got "loud"');
  });
});
