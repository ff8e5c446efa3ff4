// The userspace device models, by the `compatible` string of the board devices they simulate.
import type { ModelFactory } from "./host.js";
import { pl011 } from "./pl011.js";
import { cmsdkUart } from "./cmsdk-uart.js";
import { nrf51Uart } from "./nrf51-uart.js";
import { stm32Usart } from "./stm32-usart.js";

export const DEVICE_MODELS: Record<string, ModelFactory> = {
  "arm,pl011": pl011,
  "arm,cmsdk-apb-uart": cmsdkUart,
  "nordic,nrf51-uart": nrf51Uart,
  "st,stm32-usart": stm32Usart,
};
