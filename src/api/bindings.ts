import { output } from "@azure/functions";
import { SCAN_QUEUE } from "../store/connection.js";

/** The fan-out queue, on the host's storage account (identity-based in Azure). */
export const scanQueueOutput = output.storageQueue({ queueName: SCAN_QUEUE, connection: "AzureWebJobsStorage" });
