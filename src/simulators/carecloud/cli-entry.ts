/** How `npm run simulate -- carecloud --port N` starts this simulator. */
import { startCareCloudSimulator, type CareCloudCredentials } from './server.ts';

export const carecloudCli = {
  name: 'carecloud',
  envCredentials: (env: NodeJS.ProcessEnv): CareCloudCredentials | undefined =>
    env.CARECLOUD_API_KEY ? { apiKey: env.CARECLOUD_API_KEY } : undefined,
  start: async (
    port: number,
    credentials?: CareCloudCredentials,
  ): Promise<{ baseUrl: string; credentials: Record<string, string>; close(): Promise<void> }> => {
    const sim = await startCareCloudSimulator(credentials ? { port, credentials } : { port });
    return { baseUrl: sim.baseUrl, credentials: { apiKey: sim.credentials.apiKey }, close: () => sim.close() };
  },
};
